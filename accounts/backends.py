from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class RateLimitedLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that arrive over HTTP.

    Every HTTP login (our login page, the admin's) passes the request. Calls
    without one come from code such as management commands or the test
    client's ``login()``; they are not reachable by a visitor, so they skip
    the rate limit instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

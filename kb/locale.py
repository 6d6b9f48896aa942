from django.middleware.locale import LocaleMiddleware


class JapaneseFirstLocaleMiddleware(LocaleMiddleware):
    """Japanese unless the visitor chose English with the language switch.

    Browsers on English systems send Accept-Language: en, but the team's
    notes and vocabulary are Japanese, so only an explicit choice (the
    language cookie) switches the interface.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)

import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
application = get_wsgi_application()

# Each web process loads the embedding models in the background as it starts; the first
# search or lookup would otherwise wait 1-2 s for their weights.
from vectors.backends import warm  # noqa: E402  (apps are ready only after get_wsgi_application)

threading.Thread(target=warm, name="kb-warm", daemon=True).start()

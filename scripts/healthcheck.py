"""Container health probe: GET /healthz on the local gunicorn; exit 1 unless it answers 200.

Sends a Host from ALLOWED_HOSTS (Django refuses others) and X-Forwarded-Proto: https (as the
TLS proxy in front does), so the probe is neither refused nor redirected.
"""

import os
import sys
import urllib.request

host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip().lstrip(".") or "localhost"
request = urllib.request.Request("http://127.0.0.1:8000/healthz",
                                 headers={"Host": host, "X-Forwarded-Proto": "https"})
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError:
    sys.exit(1)

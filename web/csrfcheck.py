"""Signed CSRF tokens already verified, so that the editor's next write skips the HMAC.

Flask-WTF's ``validate_csrf`` checks a signed token on every write: it builds a
``URLSafeTimedSerializer`` (deriving its key), verifies the HMAC, checks the age, then
compares the value with the session's. A page sends the same signed token with every
write it makes (the token is signed when the page is rendered), so the signature check of
a token that passed once is remembered here, keyed on the secret key and the token's exact
text, with the value and signing time the signature vouched for. Everything that can
change between two requests is still checked on every request, exactly as
``validate_csrf`` does: the age against ``WTF_CSRF_TIME_LIMIT`` (``itsdangerous``' integer
seconds, a negative age refused), the session's own token (``hmac.compare_digest``),
and, over https with ``WTF_CSRF_SSL_STRICT``, the referrer. Anything else (a token not
verified yet, an expired one, a mismatch) goes through Flask-WTF's full check, which
gives its own error.
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from flask import current_app, request, session

#: Tokens remembered at most (then forgotten all at once), and the longest token kept.
MAX_TOKENS = 4096
MAX_TOKEN_LENGTH = 256
_SALT = "wtf-csrf-token"  # Flask-WTF's

_verified: dict[tuple[str, str], tuple[str, int]] = {}


def _secret(app: Any = None) -> Any:
    app = current_app if app is None else app
    return app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key


def known_valid(data: str | None, req: Any = None, app: Any = None) -> bool:
    """Whether *data* is a token whose signature was verified before and that still passes
    every other part of Flask-WTF's check for this request (*req* and *app*: the objects
    behind ``request`` and ``current_app``, looked up if not given)."""
    if not data:
        return False
    if app is None:
        app = current_app._get_current_object()
    if req is None:
        req = request._get_current_object()
    own = session.get(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return valid_for(data, app, own, req.is_secure, lambda: (req.referrer, req.host))


def valid_for(data: str | None, app: Any, own: Any, secure: bool, origin: Any) -> bool:
    """:func:`known_valid` for a request whose session holds the token *own*, *secure*
    when it came over https; *origin()* gives its (referrer, host), asked only over
    https with ``WTF_CSRF_SSL_STRICT`` (``web.fastwrite`` calls this without a request
    context)."""
    if not data:
        return False
    hit = _verified.get((_secret(app), data))
    if hit is None:
        return False
    value, signed_at = hit
    config = app.config
    limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
    age = int(time.time()) - signed_at
    if age < 0 or (limit is not None and age > limit):
        return False
    if not isinstance(own, str) or not hmac.compare_digest(own, value):
        return False
    if secure and config["WTF_CSRF_SSL_STRICT"]:
        from flask_wtf.csrf import same_origin

        referrer, host = origin()
        if not referrer or not same_origin(referrer, f"https://{host}/"):
            return False
    return True


def remember(data: str | None) -> None:
    """After Flask-WTF's full check passed: keep what *data*'s signature vouches for."""
    if not data or len(data) > MAX_TOKEN_LENGTH:
        return
    from itsdangerous import BadData, URLSafeTimedSerializer

    secret = _secret()
    try:
        value, signed = URLSafeTimedSerializer(secret, salt=_SALT).loads(
            data, return_timestamp=True)
    except BadData:
        return
    if not isinstance(value, str):
        return
    if len(_verified) >= MAX_TOKENS:
        _verified.clear()
    _verified[(secret, data)] = (value, int(signed.timestamp()))

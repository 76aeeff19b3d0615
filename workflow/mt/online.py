"""Online MT through deep-translator's clients, hardened like a production client.

deep-translator sets no timeout, stops a batch at the first bad item and hides HTTP
status codes behind its own exceptions. This wrapper adds, per request:

* a timeout (``cfg.mt["timeout"]``, seconds) -- injected into ``requests`` through a
  thread-local hook, which also lets us see the last HTTP response (status, Retry-After);
* retries with exponential backoff and full jitter on 429, 5xx and timeouts, honouring
  ``Retry-After`` (up to ``cfg.mt["max_retry_after"]`` seconds);
* per-item failure: one bad item never aborts the batch;
* splitting of texts over the engine's limit at sentence boundaries (joined again after);
* bounded concurrency (``cfg.mt["concurrency"]``) per provider, process-wide;
* one-line errors for a missing key, a refused key and no network (:class:`MTUnavailable`).

API keys come only from environment variables (``LETTERFLOW_DEEPL_KEY``...), never files.
"""

from __future__ import annotations

import email.utils
import os
import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlparse

from ..errors import MTError
from .base import MTUnavailable, Translator, split_text
from .codes import (  # noqa: F401 - importable from here too
    _SPECIAL,
    client_kwargs,
    engine_code,
    env_names,
    missing_keys,
    provider_codes,
)
from .registry import PROVIDERS as REGISTRY
from .registry import ProviderSpec, Service

#: Online engine name -> its deep-translator service, derived from the registry.
PROVIDERS: dict[str, Service] = {
    name: entry.service for name, entry in REGISTRY.items() if entry.service is not None
}

_CJK = {"zh", "ja", "ko"}


# --------------------------------------------------------------------------- requests hook

_local = threading.local()
_hook_lock = threading.Lock()
_hook_installed = False


@dataclass
class _RequestState:
    timeout: float
    response: object | None = None
    error: BaseException | None = None  # what requests raised (some clients swallow it)


def _install_hook() -> None:
    """Give every ``requests`` call made inside :func:`_with_timeout` a timeout, and
    remember its response. Threads that did not opt in see no change."""
    global _hook_installed
    with _hook_lock:
        if _hook_installed:
            return
        import requests

        original = requests.sessions.Session.request

        def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def]
            state = getattr(_local, "state", None)
            if state is not None and kwargs.get("timeout") is None and len(args) < 7:
                kwargs["timeout"] = state.timeout
            try:
                response = original(self, method, url, *args, **kwargs)
            except Exception as exc:
                if state is not None:
                    state.error = exc
                raise
            if state is not None:
                state.response = response
            return response

        request.__wrapped__ = original  # type: ignore[attr-defined]
        requests.sessions.Session.request = request  # type: ignore[method-assign]
        _hook_installed = True


def _retry_after(response: object | None) -> float | None:
    headers = getattr(response, "headers", None) or {}
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


_semaphores: dict[str, threading.BoundedSemaphore] = {}


def _semaphore(name: str, size: int) -> threading.BoundedSemaphore:
    with _hook_lock:
        key = f"{name}/{size}"
        if key not in _semaphores:
            _semaphores[key] = threading.BoundedSemaphore(size)
        return _semaphores[key]


# --------------------------------------------------------------------------- the engine


class OnlineTranslator(Translator):
    """One deep-translator client behind the common interface."""

    def __init__(
        self,
        provider: str,
        config: object | None = None,
        *,
        cache=None,
        env: dict | None = None,
        base_url: str | None = None,
    ):
        service = REGISTRY[provider].service if provider in REGISTRY else None
        if service is None:
            online = ", ".join(n for n, p in REGISTRY.items() if p.service is not None)
            raise MTError(f"unknown online provider {provider!r} (known: {online})")
        self.provider = service
        self.name = provider
        super().__init__(config, cache=cache)
        missing = missing_keys(self.provider, os.environ if env is None else env)
        if missing:
            raise MTUnavailable(
                f"no API key: set the environment variable {' and '.join(missing)}", provider
            )
        self.env = env = dict(os.environ if env is None else env)
        self.timeout = self._number("timeout", 20.0, 0.001)
        self.retries = int(self._number("retries", 4, 0))
        self.backoff = self._number("backoff", 0.5, 0)
        self.max_backoff = self._number("max_backoff", 30.0, 0)
        self.max_retry_after = self._number("max_retry_after", 120.0, 0)
        self.concurrency = int(self._number("concurrency", 4, 1))
        self.batch_size = int(self._number("batch_size", 10, 1))
        self.limit = int(self._number("char_limit", self.provider.limit, 20))
        self.cjk_limit = min(self.limit, int(self._number("cjk_char_limit",
                                                          self.provider.cjk_limit, 20)))
        self.base_url = (base_url or env.get(f"LETTERFLOW_{provider.upper()}_URL")
                         or self.settings.get(f"{provider}_url"))
        self._codes = provider_codes(self.provider)
        source = getattr(config, "source_language", "en") or "en"
        targets = getattr(config, "languages", []) or []
        self._langs = [source, *[x for x in targets if x != source]]
        self._sem = _semaphore(provider, self.concurrency)
        _install_hook()

    @classmethod
    def create(cls, spec: ProviderSpec, config: object | None = None, *, cache=None, **kwargs):
        return cls(spec.name, config, cache=cache, **kwargs)

    @classmethod
    def memo_inputs(cls, spec: ProviderSpec, config: object | None = None) -> tuple | None:
        """The values of every environment variable the engine reads (keys, URL...)."""
        if spec.service is None:
            return None
        return tuple(os.environ.get(n) for n in env_names(spec.service, spec.name))

    def _number(self, key: str, default: float, minimum: float) -> float:
        value = self.settings.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise MTError(
                f"[tool.letterflow.mt] {key} must be a number >= {minimum:g}, not {value!r}",
                self.name,
            )
        return float(value)

    # -- interface -------------------------------------------------------------------

    def direct_pairs(self) -> frozenset[tuple[str, str]]:
        key = (tuple(self._langs), self._codes, self.provider)
        memo = self._memo.get("direct")
        if memo is not None and memo[0] == key:
            return memo[1]
        langs = [x for x in self._langs if self._code(x)]
        pairs = frozenset((a, b) for a in langs for b in langs if a != b)
        self._memo["direct"] = (key, pairs)
        return pairs

    def supported_pairs(self) -> set[tuple[str, str]]:
        return self.direct_pairs()

    def pair_label(self, source: str, target: str) -> str:
        return f"{self._code(source)}-{self._code(target)}"

    def _code(self, lang: str) -> str | None:
        codes = self._memo.get("codes")
        if codes is None or codes[0] is not self._codes:
            codes = self._memo["codes"] = (self._codes, {})
        if lang not in codes[1]:
            codes[1][lang] = engine_code(lang, self._codes, self.provider.extra)
        return codes[1][lang]

    def _translate(self, texts: Sequence[str], source: str, target: str) -> list[str | MTError]:
        scode, tcode = self._code(source), self._code(target)
        if not scode or not tcode:
            raise MTError("language pair not offered", self.name, source, target)
        limit = self.cjk_limit if source.split("_")[0] in _CJK else self.limit
        results: list[str | MTError] = [MTError("not attempted", self.name, source, target)] * len(
            texts
        )
        fatal: list[MTUnavailable] = []
        stop = threading.Event()

        def work(i: int) -> None:
            if stop.is_set():
                return
            try:
                results[i] = self._one(texts[i], scode, tcode, source, target, limit, stop)
            except MTUnavailable as exc:
                fatal.append(exc)
                stop.set()

        workers = min(self.concurrency, len(texts)) or 1
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"mt-{self.name}") as ex:
            list(ex.map(work, range(len(texts))))
        if fatal:
            raise fatal[0]
        return results

    # -- one item ----------------------------------------------------------------------

    def _one(self, text, scode, tcode, source, target, limit, stop) -> str | MTError:
        pieces = split_text(text, limit)
        out: list[str] = []
        for chunk, sep in pieces:
            if not chunk.strip():
                out.append(chunk + sep)
                continue
            got = self._request(chunk, scode, tcode, source, target, stop)
            if isinstance(got, MTError):
                return got
            out.append(got.strip() + sep)
        return "".join(out)

    def _client(self, scode: str, tcode: str):  # type: ignore[no-untyped-def]
        import deep_translator

        cls = getattr(deep_translator, self.provider.client)
        kwargs = client_kwargs(self.provider, self.env, self.base_url)
        client = cls(source=scode, target=tcode, **kwargs)
        # deep-translator maps names to codes (and gets Papago's table backwards): set them
        client.source = scode
        client.target = tcode
        return client

    def _where(self, exc: BaseException | None = None) -> str:
        request = getattr(exc, "request", None)
        url = getattr(request, "url", None) or self.base_url or ""
        host = urlparse(url).netloc if url else ""
        return host or self.name

    def _request(self, text, scode, tcode, source, target, stop) -> str | MTError:
        from deep_translator import exceptions as dt

        attempt = 0
        while True:
            state = _RequestState(timeout=self.timeout)
            _local.state = state
            exc: BaseException | None = None
            try:
                with self._sem:
                    self.count_call()
                    result = self._client(scode, tcode).translate(text)
                if not isinstance(result, str) or not result.strip():
                    raise dt.TranslationNotFound(text)
                return result
            except Exception as caught:  # classified below; nothing escapes unwrapped
                exc = caught
            finally:
                _local.state = None
            retry, message, wait = self._classify(exc, state, attempt, source, target)
            if not retry or attempt >= self.retries or stop.is_set():
                if retry:
                    message = f"gave up after {attempt + 1} attempts: {message}"
                return MTError(message, self.name, source, target, text)
            if wait is not None and wait > self.max_retry_after:
                return MTError(
                    f"{message}; the service asks to wait {wait:g} s", self.name, source, target,
                    text,
                )
            if wait is None:
                cap = min(self.max_backoff, self.backoff * (2**attempt))
                wait = random.uniform(cap / 2, cap)  # exponential backoff, jitter
            attempt += 1
            time.sleep(wait)

    def _classify(
        self, exc: BaseException | None, state: _RequestState, attempt: int, source: str,
        target: str,
    ) -> tuple[bool, str, float | None]:
        """What a failed request means: ``(retry?, message, wait)``; raises MTUnavailable
        when no later request can succeed (no key, refused key, no network)."""
        import requests
        from deep_translator import exceptions as dt

        response = state.response
        status = getattr(response, "status_code", None) if response is not None else None
        if state.error is not None and response is None:
            exc = state.error  # e.g. Microsoft's client logs and swallows the real error
        if isinstance(exc, dt.ApiKeyException):
            raise MTUnavailable("no API key given", self.name, source, target) from None
        if isinstance(exc, dt.AuthorizationException) or status in (401, 403):
            raise MTUnavailable(
                f"the API key was refused (HTTP {status or 403}); check "
                + " / ".join(self.provider.keys or ("the key",)),
                self.name, source, target,
            ) from None
        if isinstance(exc, requests.exceptions.Timeout):
            return True, f"no answer within {self.timeout:g} s", None
        if isinstance(exc, requests.exceptions.ConnectionError):
            if attempt >= 1:
                raise MTUnavailable(
                    f"cannot reach {self._where(exc)}: no network connection or the service "
                    "is down",
                    self.name, source, target,
                ) from None
            return True, "connection failed", None
        if status == 429 or isinstance(exc, dt.TooManyRequests):
            return True, "rate limited (HTTP 429)", _retry_after(response)
        if status is not None and status >= 500:
            return True, f"server error (HTTP {status})", _retry_after(response)
        if status is not None and 200 <= status < 300 and isinstance(
            exc, ValueError | KeyError | TypeError
        ):
            return False, "malformed response from the service", None
        if status is not None and status >= 400:
            return False, f"request refused (HTTP {status})", None
        return False, _describe(exc), None


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown failure"
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:200]

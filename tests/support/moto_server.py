"""moto's server, with every AWS request checked against botocore's API model.

The integration tests run this instead of `moto_server`, with the same command
line (`python tests/support/moto_server.py -H 127.0.0.1 -p PORT`). It builds
the same WSGI app as `moto.server.main()` and wraps it in `ModelCheck`: for
each request except moto's own `/moto-api/`, `model_check.check()` finds the
service and operation and validates the parameters (docs/moto.md). A request
that breaks the model is not passed to moto: it is logged as one JSON line to
the file named by `LBCTL_MODEL_VIOLATIONS` (appended; `tests/support/mod.rs`
fails the test when the file is not empty) and answered with HTTP 400 and the
AWS-style error code `LbctlModelViolation` in the protocol's error format, so
the client fails visibly instead of moto accepting what AWS would reject.

A request may opt out with the header `X-Lbctl-Model-Check: off`; only a test
that sends a deliberately invalid request to moto itself should use it.

Standard library + moto (and its botocore) only. The checker changes nothing in
how moto answers a valid request; the `plugin_*.py` modules beside this file
(`install_plugins`) add what moto lacks, each listed in docs/moto.md.
"""

import argparse
import gzip
import io
import json
import os
import signal
import sys
import threading
import time
import uuid
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import model_check  # noqa: E402  (beside this file)

OPT_OUT = "HTTP_X_LBCTL_MODEL_CHECK"
ERROR_CODE = "LbctlModelViolation"


class ModelCheck:
    """WSGI middleware: validate, then pass the untouched request to `app`."""

    def __init__(self, app, violations_path):
        self.app = app
        self.violations_path = violations_path
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/moto-api") or path == "/favicon.ico" or environ.get(OPT_OUT) == "off":
            return self.app(environ, start_response)
        body = _read_body(environ)
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or path
        if "://" in raw.split("?", 1)[0]:  # absolute-form request line (through a proxy)
            raw = "/" + raw.split("://", 1)[1].partition("/")[2]
        raw_path = raw.split("?", 1)[0]
        query = environ.get("QUERY_STRING", "")
        try:
            checked = body
            if headers.get("content-encoding", "").lower() == "gzip":
                checked = gzip.decompress(body)  # AWS request compression; moto undoes it too
            model_check.check(environ["REQUEST_METHOD"], raw_path, query, headers, checked)
        except model_check.Violation as v:
            self._log(v, environ["REQUEST_METHOD"], raw)
            return _error(v, headers, start_response)
        except Exception as e:  # a checker bug must be seen, not hidden as a moto answer
            v = model_check.Violation("(checker)", raw_path, "checker-error", f"{type(e).__name__}: {e}")
            self._log(v, environ["REQUEST_METHOD"], raw)
            return _error(v, headers, start_response)
        return self.app(environ, start_response)

    def _log(self, violation, method, uri):
        line = json.dumps({
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "operation": violation.operation,
            "path": violation.path,
            "rule": violation.rule,
            "detail": violation.detail,
            "request": f"{method} {uri}",
        })
        print(f"model violation: {line}", file=sys.stderr, flush=True)
        if self.violations_path:
            with self.lock, open(self.violations_path, "a", encoding="utf-8") as f:
                f.write(line + "\n")


def _read_body(environ):
    """The request body, put back so moto can read it again."""
    stream = environ.get("wsgi.input")
    length = environ.get("CONTENT_LENGTH")
    if stream is None:
        return b""
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated") or "chunked" in environ.get("HTTP_TRANSFER_ENCODING", ""):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _error(violation, headers, start_response):
    """A 400 in the error format of the request's protocol, which SDKs do not retry."""
    message = str(violation)
    request_id = str(uuid.uuid4())
    if "x-amz-target" in headers:  # json protocol
        body = json.dumps({"__type": ERROR_CODE, "message": message}).encode()
        content_type = "application/x-amz-json-1.1"
        extra = [("x-amzn-ErrorType", ERROR_CODE)]
    else:
        code, text = escape(ERROR_CODE), escape(message)
        if "ec2/aws4_request" in headers.get("authorization", ""):
            xml = (f"<Response><Errors><Error><Code>{code}</Code><Message>{text}</Message>"
                   f"</Error></Errors><RequestID>{request_id}</RequestID></Response>")
        else:  # query and rest-xml share this form
            xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>"
                   f"<Message>{text}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>")
        body = xml.encode()
        content_type = "text/xml"
        extra = []
    start_response("400 Bad Request", [
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", request_id),
        *extra,
    ])
    return [body]


def install_plugins():
    """Load every `plugin_*.py` beside this file and call its `install()`.

    A plugin adds to moto exactly what lbctl calls and moto 5.2.x lacks,
    written from the AWS API reference (each cites its page); docs/moto.md
    has one row per plugin. Loaded in name order, before moto's app is built.
    """
    import glob
    import importlib

    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "plugin_*.py"))):
        importlib.import_module(os.path.basename(path)[:-3]).install()


def main(argv=None):
    """Same options as `moto_server` (host, port, reload, ssl), as in `moto.server.main()`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=int(os.environ.get("MOTO_PORT", 5000)))
    parser.add_argument("-r", "--reload", action="store_true")
    parser.add_argument("-s", "--ssl", action="store_true")
    parser.add_argument("-c", "--ssl-cert")
    parser.add_argument("-k", "--ssl-key")
    args = parser.parse_args(argv)
    os.environ.setdefault("MOTO_PORT", str(args.port))  # moto builds some URLs from it

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import run_simple

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: sys.exit(0))
    install_plugins()
    moto_app = DomainDispatcherApplication(create_backend_app)
    moto_app.debug = True
    app = ModelCheck(moto_app, os.environ.get("LBCTL_MODEL_VIOLATIONS"))
    ssl_context = (args.ssl_cert, args.ssl_key) if args.ssl_cert and args.ssl_key else ("adhoc" if args.ssl else None)
    run_simple(args.host, args.port, app, threaded=True, use_reloader=args.reload, ssl_context=ssl_context)


if __name__ == "__main__":
    main()

"""A scripted HTTP(S) server on 127.0.0.1 for the fetch tests.

Each path is a scenario (see ROUTES); the server counts the requests per
path and records every request's headers, so a test can assert how many
attempts were made, when, and what was sent."""
import gzip
import http.server
import ssl
import threading
import time

CSV = (b"lead_id,created_at,channel\r\n"
       b"L1,2026-11-16T10:00:00Z,paid_search\r\n"
       b"L2,2026-11-17T11:00:00Z,webinar\r\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def _send(self, status, body=b"", ctype="text/csv", extra=None, length=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)
            self.wfile.flush()

    def do_GET(self):
        srv = self.server
        path = self.path.split("?")[0]
        with srv.lock:
            n = srv.counts.get(path, 0) + 1
            srv.counts[path] = n
            srv.requests.append({"path": path, "n": n, "t": time.monotonic(),
                                 "headers": {k.lower(): v for k, v in self.headers.items()}})
        route = ROUTES.get(path)
        if route is None:
            self._send(404, b"not found", "text/plain")
            return
        route(self, n)


def r_ok(h, n):
    h._send(200, CSV)


def r_flaky500(h, n):
    if n == 1:
        h._send(500, b"internal error", "text/plain")
    else:
        h._send(200, CSV)


def r_always500(h, n):
    h._send(503, b"service unavailable", "text/plain")


def r_ratelimit(h, n):
    if n == 1:
        h._send(429, b"slow down", "text/plain", {"Retry-After": "2"})
    else:
        h._send(200, CSV)


def r_auth(h, n):
    # the token is checked but the answer is always 401: it never becomes valid
    h._send(401, b"unauthorized", "text/plain", {"WWW-Authenticate": "Bearer"})


def r_truncated(h, n):
    # announces the whole export but sends 40 bytes and closes the connection
    h._send(200, CSV[:40], length=len(CSV))
    h.close_connection = True


def r_stall(h, n):
    if n == 1:
        h.send_response(200)
        h.send_header("Content-Type", "text/csv")
        h.send_header("Content-Length", str(len(CSV)))
        h.end_headers()
        h.wfile.write(CSV[:10])
        h.wfile.flush()
        time.sleep(6)  # far beyond the low-speed time the test configures
        h.close_connection = True
    else:
        h._send(200, CSV)


def r_html(h, n):
    h._send(200, b"<!DOCTYPE html><html><body>Please log in</body></html>", "text/html; charset=utf-8")


def r_html_as_csv(h, n):
    # a login page that claims to be CSV: caught by its first line
    h._send(200, b"\n<html><body>Session expired</body></html>", "text/csv")


def r_json_error(h, n):
    # an API's error payload with 200, echoing the credential it refused
    token = h.headers.get("Authorization", "").replace("Bearer ", "")
    body = b'{"error": {"code": 401, "message": "token ' + token.encode() + b' expired"}}'
    h._send(200, body, "application/json; charset=utf-8")


def r_json_as_csv(h, n):
    # a JSON error that claims to be CSV: caught by its first byte
    h._send(200, b'\r\n  {"errors": [{"message": "export not found"}]}', "text/csv")


def r_etag(h, n):
    tag = '"v1-abc"'
    if h.headers.get("If-None-Match") == tag:
        h.send_response(304)
        h.send_header("ETag", tag)
        h.send_header("Content-Length", "0")
        h.end_headers()
    else:
        h._send(200, CSV, extra={"ETag": tag, "Last-Modified": "Mon, 23 Nov 2026 05:00:00 GMT"})


def r_lastmod(h, n):
    stamp = "Sun, 22 Nov 2026 23:00:00 GMT"
    if h.headers.get("If-Modified-Since") == stamp:
        h.send_response(304)
        h.send_header("Content-Length", "0")
        h.end_headers()
    else:
        h._send(200, CSV, extra={"Last-Modified": stamp})


def r_lastmod_ignored(h, n):
    # a server that ignores If-Modified-Since: a new export each time, under
    # the same old Last-Modified
    h._send(200, b"id,n\r\n1,%d\r\n" % n, extra={"Last-Modified": "Sun, 22 Nov 2026 23:00:00 GMT"})


def r_big(h, n):
    # no Content-Length (chunked), so only the write callback can stop it
    h.send_response(200)
    h.send_header("Content-Type", "text/csv")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"x" * 65536
    try:
        h.wfile.write(b"lead_id,created_at\r\n"[:0])
        for _ in range(64):  # 4 MiB
            h.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    h.close_connection = True


def r_chunked_cut(h, n):
    # a chunked body that stops after its first chunk: no length to compare
    h.send_response(200)
    h.send_header("Content-Type", "text/csv")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    h.wfile.write(b"%x\r\n" % 40 + CSV[:40] + b"\r\n")
    h.wfile.flush()
    h.close_connection = True


def r_not_modified(h, n):
    # 304 whatever was asked: wrong for a request without a validator
    h.send_response(304)
    h.end_headers()


def r_gzip(h, n):
    # compressed on the wire: Content-Length counts the gzip bytes, not the CSV's
    body = gzip.compress(CSV)
    h._send(200, body, extra={"Content-Encoding": "gzip"})


def r_notfound(h, n):
    h._send(404, b"no such export", "text/plain")


def r_redirect_other_host(h, n):
    port = h.server.server_address[1]
    h._send(302, b"", "text/plain", {"Location": f"https://localhost:{port}/ok"})


def r_redirect_same_host(h, n):
    port = h.server.server_address[1]
    h._send(302, b"", "text/plain", {"Location": f"https://127.0.0.1:{port}/ok"})


def r_redirect_http(h, n):
    h._send(302, b"", "text/plain", {"Location": "http://127.0.0.1:9/ok"})


ROUTES = {
    "/ok": r_ok,
    "/flaky500": r_flaky500,
    "/always500": r_always500,
    "/ratelimit": r_ratelimit,
    "/auth": r_auth,
    "/truncated": r_truncated,
    "/stall": r_stall,
    "/html": r_html,
    "/html-as-csv": r_html_as_csv,
    "/json-error": r_json_error,
    "/json-as-csv": r_json_as_csv,
    "/etag": r_etag,
    "/big": r_big,
    "/lastmod": r_lastmod,
    "/lastmod-ignored": r_lastmod_ignored,
    "/notfound": r_notfound,
    "/gzip": r_gzip,
    "/chunked-cut": r_chunked_cut,
    "/not-modified": r_not_modified,
    "/redirect-other-host": r_redirect_other_host,
    "/redirect-same-host": r_redirect_same_host,
    "/redirect-http": r_redirect_http,
}


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, cert=None, key=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.counts = {}
        self.requests = []
        if cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            self.socket = ctx.wrap_socket(self.socket, server_side=True)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self):
        return self.server_address[1]

    def reset(self):
        with self.lock:
            self.counts.clear()
            self.requests.clear()

    def requests_for(self, path):
        with self.lock:
            return [r for r in self.requests if r["path"] == path]

    def stop(self):
        self.shutdown()
        self.server_close()

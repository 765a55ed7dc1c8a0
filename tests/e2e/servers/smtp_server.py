"""An SMTP server on 127.0.0.1 for the e-mail tests (aiosmtpd).

Modes: "ok" accepts every message; "tempfail" answers the first DATA with
451 and accepts the next; "reject" answers DATA with 554; "refuse:ADDRESS"
answers RCPT TO that address with 550 and accepts the rest; "stall:ADDRESS"
holds the end of DATA of a message for any other address (for `hold`
seconds, a minute unless given, or until release()) and accepts the
messages to ADDRESS at once; "stall" holds every message so. With a
certificate it offers STARTTLS (and AUTH only after it), or with
implicit_tls speaks TLS from the first byte (smtps); without one it offers
neither. With utf8="offer" it offers SMTPUTF8 (RFC 6531); with
utf8="silent" it takes UTF-8 in commands without offering it, as a lax
server does; without either a command holding bytes that are not ASCII
gets 500, as aiosmtpd answers. With a password, AUTH succeeds only with it (535 otherwise);
without one, any credentials pass. Every command verb the client sends
is recorded, so a test can prove that no AUTH was sent, and so is the
argument of each MAIL and RCPT as sent."""
import asyncio
import errno
import socket
import ssl
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

warnings.filterwarnings("ignore", category=DeprecationWarning)


class Recorder:
    def __init__(self, mode, hold=60):
        self.mode = mode
        self.hold = hold
        self.lock = threading.Lock()
        self.messages = []   # (mail_from, rcpt_tos, content bytes)
        self.data_attempts = 0
        self.commands = []   # command verbs in order, upper case
        self.envelope_args = []  # (verb, its argument as sent) of MAIL and RCPT
        self.logins = []     # (login, password) as the server received them
        self.released = False  # "stall:": let held messages through

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse:" + address:
            return "550 5.1.1 <%s>: no such user" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_attempts += 1
            n = self.data_attempts
        if self.mode == "stall" or (self.mode.startswith("stall:") and envelope.rcpt_tos != [self.mode[6:]]):
            for _ in range(int(self.hold * 10)):
                if self.released:
                    break
                await asyncio.sleep(0.1)
        if self.mode == "tempfail" and n == 1:
            return "451 4.3.0 Temporary failure, try again later"
        if self.mode == "reject":
            return "554 5.7.1 Message rejected by policy"
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content))
            n = len(self.messages)
        # a queue id, as real servers give, which a mail administrator traces by
        return f"250 2.0.0 Ok: queued as Q{n:05d}"


def _wrap(cls, recorder, hide_smtputf8=False):
    """A subclass of cls that records each command verb (and leaves SMTPUTF8
    out of its EHLO reply when hide_smtputf8)."""
    class Tapped(cls):
        async def push(self, status):
            if hide_smtputf8 and status == "250-SMTPUTF8":
                return
            return await super().push(status)

        async def smtp_EHLO(self, arg):
            recorder.commands.append("EHLO")
            return await super().smtp_EHLO(arg)

        async def smtp_STARTTLS(self, arg):
            recorder.commands.append("STARTTLS")
            return await super().smtp_STARTTLS(arg)

        async def smtp_AUTH(self, arg):
            recorder.commands.append("AUTH")
            return await super().smtp_AUTH(arg)

        async def smtp_MAIL(self, arg):
            recorder.commands.append("MAIL")
            recorder.envelope_args.append(("MAIL", arg))
            return await super().smtp_MAIL(arg)

        async def smtp_RCPT(self, arg):
            recorder.commands.append("RCPT")
            recorder.envelope_args.append(("RCPT", arg))
            return await super().smtp_RCPT(arg)

        async def smtp_DATA(self, arg):
            recorder.commands.append("DATA")
            return await super().smtp_DATA(arg)

        async def smtp_NOOP(self, arg):
            recorder.commands.append("NOOP")
            return await super().smtp_NOOP(arg)
    return Tapped


class Server:
    def __init__(self, mode="ok", cert=None, key=None, implicit_tls=False, password=None, hold=60,
                 utf8=None):
        self.rec = Recorder(mode, hold)
        rec = self.rec
        expected = password

        def authenticator(server, session, envelope, mechanism, auth_data):
            login = auth_data.login.decode() if isinstance(auth_data.login, bytes) else auth_data.login
            given = auth_data.password.decode() if isinstance(auth_data.password, bytes) else auth_data.password
            rec.logins.append((login, given))
            ok = expected is None or given == expected
            return AuthResult(success=ok, handled=False)  # not handled: the server answers 535

        kwargs = {"authenticator": authenticator, "auth_require_tls": True, "enable_SMTPUTF8": utf8 is not None}
        implicit = None
        if cert and implicit_tls:  # smtps: TLS from the first byte
            implicit = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            implicit.load_cert_chain(cert, key)
            kwargs["auth_require_tls"] = False  # aiosmtpd counts only STARTTLS as TLS
        elif cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            kwargs.update(tls_context=ctx, require_starttls=True)
        tapped = _wrap(SMTP, rec, hide_smtputf8=utf8 == "silent")

        class C(Controller):
            def factory(self):
                return tapped(self.handler, **self.SMTP_kwargs)

        # a free port is free only until bound: another test may take it
        # first, and then a new one is tried (the controller reports a
        # failed bind only at its ready_timeout); a loaded machine may take
        # seconds to start the server thread
        for attempt in range(5):
            self.port = _free_port()
            self.controller = C(rec, hostname="127.0.0.1", port=self.port, server_kwargs=kwargs,
                                ssl_context=implicit, ready_timeout=15)
            try:
                self.controller.start()
                break
            except OSError as e:
                if e.errno != errno.EADDRINUSE or attempt == 4:
                    raise

    def release(self):
        self.rec.released = True

    def stop(self):
        self.rec.released = True
        self.controller.stop()


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port

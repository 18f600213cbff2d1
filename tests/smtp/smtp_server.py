#!/usr/bin/python3
# tests/smtp/smtp_server.py: a real SMTP relay on loopback for the mail tests (Debian's
# python3-aiosmtpd; run it with /usr/bin/python3).
#
# As a deployment's submission relay is: with --cert and --key it offers STARTTLS and requires
# it before anything else, and requires a login (--user / --password) before MAIL FROM. Without
# them it is a relay that offers no STARTTLS but would still take a login in the clear: the
# one a client must never send its password to. Every command received is appended to
# DIR/commands.log (AUTH lines included, so a test can see whether a password came), every
# login tried to DIR/logins.log, and every message accepted is written to DIR/NNN.eml. Prints
# "PORT n" once it listens; SIGTERM stops it.
import argparse
import asyncio
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def append(path, line):
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")


class Handler:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A mailbox that does not exist, as relays answer it: the address in the reply.
        if address.startswith("nobody@"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.folder, "%03d.eml" % self.count)
        with open(name + ".part", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".part", name)  # a reader never sees half a message
        append(os.path.join(self.folder, "envelopes.log"),
               "from=%s to=%s" % (envelope.mail_from, ",".join(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class LoggingSMTP(SMTP):
    """SMTP that writes each command it reads to commands.log before answering it."""

    # The challenges of AUTH LOGIN as common relays (Postfix, Exchange) send them; aiosmtpd's
    # own ("User Name") are not what clients such as Poco's look for.
    AuthLoginUsernameChallenge = "Username:"
    AuthLoginPasswordChallenge = "Password:"

    def __init__(self, *args, folder, **kwargs):
        super().__init__(*args, **kwargs)
        self._folder = folder
        for name in list(self._smtp_methods):
            self._smtp_methods[name] = self._logged(name, self._smtp_methods[name])

    def _logged(self, name, method):
        async def wrapper(arg):
            tls = "tls" if self._tls_protocol is not None else "plain"
            append(os.path.join(self._folder, "commands.log"), "%s %s %s" % (tls, name, arg or ""))
            return await method(arg)
        return wrapper


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user", default="askonce")
    parser.add_argument("--password", default="relay-password")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    tls = None
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user
              and auth_data.password.decode() == args.password)
        append(os.path.join(args.dir, "logins.log"), "%s %s %s" % (
            mechanism, "tls" if server._tls_protocol is not None else "plain", "ok" if ok else "refused"))
        # handled=False: aiosmtpd then answers a refusal itself (535).
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    handler = Handler(args.dir)

    def factory():
        return LoggingSMTP(handler, folder=args.dir, hostname="relay.test", tls_context=tls,
                           require_starttls=tls is not None, auth_required=True,
                           auth_require_tls=tls is not None, authenticator=authenticator)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", args.port, reuse_address=True))
    port = server.sockets[0].getsockname()[1]
    print("PORT %d" % port, flush=True)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

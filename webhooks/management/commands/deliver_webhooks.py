import signal

from django.core.management.base import BaseCommand

from webhooks import worker


class Command(BaseCommand):
    help = "Send due webhook deliveries; with --watch keep running and send them as they come."

    def add_arguments(self, parser):
        parser.add_argument("--watch", action="store_true", help="keep running (the background worker)")
        parser.add_argument("--poll", type=float, default=5.0, help="seconds between checks for retries")

    def handle(self, *args, watch: bool, poll: float, **options):
        if not watch:
            sent = worker.run_once()
            self.stdout.write(f"{sent} deliveries attempted")
            return
        stopping = []
        # SIGTERM finishes the delivery in hand, then exits.
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write("delivering webhooks (Ctrl-C to stop)")
        try:
            worker.watch(poll, stop=lambda: bool(stopping))
        except KeyboardInterrupt:
            pass

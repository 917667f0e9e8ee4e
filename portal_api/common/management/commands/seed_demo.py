from django.core.management.base import BaseCommand, CommandError

from portal_api.common.demo import DemoConflictError, demo_logins, format_logins, seed_demo


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (client Dupond Industrie, techniciens, catalogue, "
        "douze mois d'historique) puis affiche les identifiants de démonstration. Sans effet "
        "si les données sont déjà présentes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true",
            help="N'afficher que les identifiants de démonstration.",
        )

    def handle(self, *args, quiet: bool = False, verbosity: int = 1, **options):
        quiet = quiet or verbosity == 0

        def log(message: str) -> None:
            if not quiet:
                self.stdout.write(message)

        try:
            seed_demo(log=log)
        except DemoConflictError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(format_logins(demo_logins()))

from django.core.management.base import BaseCommand

from cms.services import portal_pages_ensure, portal_translations_ensure


class Command(BaseCommand):
    help = ("Crée l'arborescence du portail (accueil, espace client, intranet) et les groupes "
            "d'audience, s'ils manquent, puis sa traduction dans chaque langue du contenu "
            "(français par défaut, anglais). Sans effet sur un portail déjà en place.")

    def handle(self, *args, **options):
        home = portal_pages_ensure()
        portal_translations_ensure()
        self.stdout.write(self.style.SUCCESS(
            f"Portail en place : {home.url} · /espace-client/ · /intranet/"))

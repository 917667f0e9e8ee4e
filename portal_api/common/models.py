from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    # Business records are not CMS content: Wagtail's reference index (which tracks what
    # pages use) would only slow every write.
    wagtail_reference_index_ignore = True

    class Meta:
        abstract = True


class NumberSequence(models.Model):
    """A gapless counter per document kind and year (invoices, orders, interventions).

    A number is taken under a row lock inside the transaction that creates the document, so a
    rolled-back transaction gives its number back and two concurrent ones never share one.
    """

    name = models.CharField(_("séquence"), max_length=40)
    year = models.PositiveSmallIntegerField(_("année"))
    last_value = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("séquence de numérotation")
        verbose_name_plural = _("séquences de numérotation")
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="numbersequence_unique_name_year")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}: {self.last_value}"

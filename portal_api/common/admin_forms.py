"""Building blocks shared by the back-office screens (the apps' wagtail_hooks.py): a base form,
read-only listings of child rows, list columns, the private-file widget and an inspect view
that shows the child rows too.

The domain models are plain Django models (ForeignKey, not ParentalKey), so their child rows
(order lines, invoice lines, time entries…) are listed read-only here, never edited inline.
"""

import datetime
from collections.abc import Callable, Iterable
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import localize, number_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, Panel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet

from .admin_permissions import (
    ANY_ACTION,
    ReachedChooserViewSet,
    ReachedListingMixin,
    ReachedObjectMixin,
    limit_choices_to_reach,
    rules_policy,
    rules_policy_register,
)

# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------


def format_money(value) -> str:
    """1234.5 → "1 234,50 €" (French grouping and decimal comma)."""
    if value is None or value == "":
        return ""
    return f"{number_format(Decimal(value), 2, force_grouping=True)}\u00a0€"


def format_quantity(value) -> str:
    """10.000 → "10", 2.500 → "2,5": quantities without their trailing zeros."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_format(value, force_grouping=True)


MONEY_FIELD_PREFIXES = ("total_", "price_", "unit_price_", "annual_amount_", "amount")
EMPTY_DISPLAY = "—"


def is_money_field(name: str) -> bool:
    return name.startswith(MONEY_FIELD_PREFIXES)


def format_display(value, *, money: bool = False):
    """A value as staff read it: French numbers, dates in Paris time, « oui » / « non », a
    dash for nothing."""
    if value is None or value == "":
        return EMPTY_DISPLAY
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if money:
        return format_money(value)
    if isinstance(value, datetime.datetime):
        return localize(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, (datetime.date, Decimal, float)):
        return localize(value)
    return value


def user_label(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name()
    return f"{name} <{user.email}>" if name else user.email


def use_user_labels(form, *field_names: str) -> None:
    """Show users as "Name <email>" in the given select fields of a model form: two
    « Jean Martin » stay distinguishable."""
    for name in field_names:
        field = form.fields.get(name)
        if field is not None and field.queryset.model is get_user_model():
            field.label_from_instance = user_label


# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


class PortalAdminForm(WagtailAdminModelForm):
    """Base of every back-office form.

    ``same_client_fields``: foreign keys (site, equipment, contract…) that must belong to the
    same client account as the object itself, so that staff cannot mix two companies' data.
    """

    same_client_fields: tuple[str, ...] = ()
    user_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_user_labels(self, *self.user_fields)
        # The selects offer what the user reaches (the apps' selectors), as the API does.
        limit_choices_to_reach(self, self.for_user)

    @property
    def is_creating(self) -> bool:
        return self.instance._state.adding

    def clean(self):
        cleaned = super().clean()
        account = cleaned.get("client_account", getattr(self.instance, "client_account", None))
        if account is None:
            return cleaned
        for name in self.same_client_fields:
            related = cleaned.get(name)
            if related is not None and related.client_account_id != account.pk:
                self.add_error(
                    name,
                    _("« %(object)s » appartient à un autre client que « %(client)s ».")
                    % {"object": related, "client": account.name},
                )
        return cleaned


class ReadOnly(FieldPanel):
    """A field shown, not edited (numbers, totals, dates set by the services). Hidden on the
    creation form, where it has no value yet, unless ``show_on_create``."""

    def __init__(self, field_name, *, money: bool | None = None, quantity: bool = False,
                 show_on_create: bool = False, **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, **kwargs)
        self.money = is_money_field(field_name) if money is None else money
        self.quantity = quantity
        self.show_on_create = show_on_create

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs.pop("read_only", None)
        kwargs.update(money=self.money, quantity=self.quantity,
                      show_on_create=self.show_on_create)
        return kwargs

    def format_value_for_display(self, value):
        if callable(getattr(value, "all", None)):
            return ", ".join(str(obj) for obj in value.all()) or EMPTY_DISPLAY
        if getattr(getattr(self, "db_field", None), "choices", None):
            # A status shows by its label (« Reçue »), as Wagtail's own panel does.
            return super().format_value_for_display(value)
        if self.quantity and value is not None:
            return format_quantity(value)
        return format_display(value, money=self.money)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            creating = self.instance is None or self.instance.pk is None
            if creating and not self.panel.show_on_create:
                return False
            return super().is_shown()


class ReadOnlyValueWidget(forms.Widget):
    """Shows a field that may not change any more (disabled) as text, not as an input."""

    def __init__(self, text, attrs=None):
        super().__init__(attrs)
        self.text = text

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<div class="w-field__textoutput">{}</div>', self.text)


def freeze_field(form, name: str) -> None:
    """Make a field of the form read-only, showing its current value."""
    field = form.fields.get(name)
    if field is None:
        return
    field.disabled = True
    field.widget = ReadOnlyValueWidget(format_display(getattr(form.instance, name, None)))


# ---------------------------------------------------------------------------------------------
# Read-only listings of child rows
# ---------------------------------------------------------------------------------------------


class Cell:
    """One column of a read-only listing: a field name (its verbose name is the heading, its
    choices' label is shown) or any callable taking the row."""

    def __init__(self, accessor: str | Callable, label=None, *, money: bool = False,
                 quantity: bool = False, numeric: bool = False):
        self.accessor = accessor
        self.label = label
        self.money = money
        self.quantity = quantity
        self.numeric = numeric or money or quantity

    def heading(self, model) -> str:
        if self.label is not None:
            return self.label
        if isinstance(self.accessor, str):
            try:
                return capfirst(model._meta.get_field(self.accessor).verbose_name)
            except FieldDoesNotExist:
                pass
            return capfirst(self.accessor.replace("_", " "))
        return ""

    def value(self, obj):
        if callable(self.accessor):
            value = self.accessor(obj)
        else:
            display = getattr(obj, f"get_{self.accessor}_display", None)
            value = display() if callable(display) else getattr(obj, self.accessor, None)
        if self.quantity and value is not None:
            return format_quantity(value)
        return format_display(value, money=self.money)


def as_cell(spec) -> Cell:
    if isinstance(spec, Cell):
        return spec
    if isinstance(spec, tuple):
        return Cell(*spec)
    return Cell(spec)


class RelatedObjectsPanel(Panel):
    """A read-only table of the object's child rows (``relation`` is the reverse accessor,
    e.g. ``"lines"``), shown in the edit form and in the inspect view. It adds no form field."""

    def __init__(self, relation: str, cells: Iterable, *, empty_text=None,
                 select_related: Iterable[str] = (), footer: Callable | None = None, **kwargs):
        super().__init__(**kwargs)
        self.relation = relation
        self.cells = [as_cell(c) for c in cells]
        self.empty_text = empty_text
        self.select_related = tuple(select_related)
        self.footer = footer

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs.update(relation=self.relation, cells=self.cells, empty_text=self.empty_text,
                      select_related=self.select_related, footer=self.footer)
        return kwargs

    @property
    def clean_name(self):
        return super().clean_name or self.relation

    class BoundPanel(Panel.BoundPanel):
        template_name = "admin/panels/related_objects.html"

        def _policy(self):
            # Rows that are objects of another screen (the sites of a client, its portal
            # accesses…) show as that screen would: whom its rules refuse sees no panel.
            return rules_policy(getattr(self.instance, self.panel.relation).model)

        def is_shown(self):
            # Nothing to list on an object that is not saved yet.
            if self.instance is None or self.instance.pk is None:
                return False
            policy = self._policy()
            return policy is None or self.request is None or policy.user_has_any_permission(
                self.request.user, ANY_ACTION)

        def get_rows(self):
            manager = getattr(self.instance, self.panel.relation)
            queryset = manager.all()
            policy = self._policy()
            if policy is not None and self.request is not None:
                queryset = policy.scope(queryset, self.request.user)
            if self.panel.select_related:
                queryset = queryset.select_related(*self.panel.select_related)
            return queryset

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            rows = list(self.get_rows())
            model = getattr(self.instance, self.panel.relation).model
            context.update(
                headings=[(c.heading(model), c.numeric) for c in self.panel.cells],
                rows=[[(c.value(obj), c.numeric) for c in self.panel.cells] for obj in rows],
                empty_text=self.panel.empty_text or _("Aucune ligne."),
                footer=self.panel.footer(self.instance) if self.panel.footer else None,
                column_count=len(self.panel.cells),
            )
            return context


class InspectWithRelatedView(ReachedObjectMixin, InspectView):
    """The inspect view, followed by the read-only listings of the object's child rows
    (``related_panels`` on the viewset)."""

    template_name = "admin/inspect_with_related.html"
    related_panels: list[Panel] = []

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if hasattr(value, "render_html"):  # a component (image, document…)
            return value
        return format_display(value, money=is_money_field(field_name))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_panels"] = [
            panel.bind_to_model(self.model).get_bound_panel(
                instance=self.object, request=self.request, form=None,
                prefix=f"related-{i}",
            )
            for i, panel in enumerate(self.related_panels)
        ]
        return context


class PortalIndexView(ReachedListingMixin, IndexView):
    """The listing: the rows the user reaches (admin_permissions); its first column (number,
    reference…) does not wrap."""

    def _get_title_column(self, field_name, *args, **kwargs):
        kwargs.setdefault("classname", "portal-title")
        return super()._get_title_column(field_name, *args, **kwargs)


class PortalSnippetViewSet(SnippetViewSet):
    """Defaults of every back-office screen of the domain models. Who may open them is the
    apps' `rules` (admin_permissions.ADMIN_RIGHTS, registered for the model here), and what
    they show is what the apps' selectors give the user."""

    index_view_class = PortalIndexView
    chooser_viewset_class = ReachedChooserViewSet
    # A read-only view, and the « view » permission for read-only staff groups.
    inspect_view_enabled = True
    inspect_view_class = InspectWithRelatedView
    list_per_page = 50
    # Copying an order, an invoice or a client makes no business sense.
    copy_view_enabled = False
    #: Read-only listings of child rows shown under the inspect view's fields.
    related_panels: list[Panel] = []

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(related_panels=self.related_panels, **kwargs)

    def register_permissions(self):
        # Before Wagtail's own registration, which would fall back on model permissions.
        rules_policy_register(self.model)
        super().register_permissions()

    def construct_view(self, view_class, **kwargs):
        # Every view of one object (edit, inspect, delete, history, usage, and the apps' own
        # subclasses of them): beyond the user's reach, a 404.
        if hasattr(view_class, "get_object") and not issubclass(view_class, ReachedObjectMixin):
            view_class = type(view_class.__name__, (ReachedObjectMixin, view_class), {})
        return super().construct_view(view_class, **kwargs)


# ---------------------------------------------------------------------------------------------
# List columns
# ---------------------------------------------------------------------------------------------


class MoneyColumn(Column):
    """An amount in euros, the French way."""

    def __init__(self, name, **kwargs):
        kwargs.setdefault("sort_key", name)
        kwargs.setdefault("classname", "portal-nowrap")
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = format_money(context["raw_value"])
        return context


class QuantityColumn(Column):
    """A quantity (stock…) without its trailing zeros."""

    def __init__(self, name, **kwargs):
        kwargs.setdefault("sort_key", name)
        kwargs.setdefault("classname", "portal-nowrap")
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = format_quantity(context["raw_value"])
        return context


class YesNoColumn(BooleanColumn):
    """A tick or a cross, titled « oui » / « non »."""

    cell_template_name = "admin/tables/yes_no_cell.html"

    def __init__(self, name, **kwargs):
        kwargs.setdefault("sort_key", name)
        super().__init__(name, **kwargs)


class ChoiceColumn(Column):
    """A field with choices, shown by its label and sortable by its value."""

    def __init__(self, name, **kwargs):
        kwargs.setdefault("sort_key", name)
        kwargs.setdefault("accessor", f"get_{name}_display")
        super().__init__(name, **kwargs)


class ShortTextColumn(Column):
    """The beginning of a long text (a ticket's description)."""

    def __init__(self, name, length: int = 80, **kwargs):
        super().__init__(name, **kwargs)
        self.length = length

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        text = " ".join(str(context["raw_value"] or "").split())
        context["value"] = text if len(text) <= self.length else text[: self.length - 1] + "…"
        return context


# ---------------------------------------------------------------------------------------------
# Private files
# ---------------------------------------------------------------------------------------------


class PrivateFileInput(forms.ClearableFileInput):
    """A file input that never links to the storage URL: files of the private storage have
    none. It names the current file and, when the form sets ``download_url``, links to the
    back office's checked download view instead."""

    download_url: str | None = None

    def is_initial(self, value):
        return False

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not value or not getattr(value, "name", ""):
            return html
        filename = value.name.rsplit("/", 1)[-1]
        if self.download_url:
            current = format_html('<a href="{}">{}</a>', self.download_url, filename)
        else:
            current = filename
        return format_html(
            '<p class="help">{} {}</p>{}', _("Fichier actuel :"), current, html
        )


# ---------------------------------------------------------------------------------------------
# Status changes: never in the forms (the status is a ReadOnly panel); the edit views' header
# buttons hand them to the services (common/admin_status.py).
# ---------------------------------------------------------------------------------------------

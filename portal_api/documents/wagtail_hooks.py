"""Back-office screen for the GED (« Documents (GED) » menu). Files live in the private
storage: the back office downloads them through a view that checks the staff member's
permission, never through a storage URL. After an upload, a task computes the file's size,
type and checksum."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DownloadColumn
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet

from portal_api.common.admin_forms import ChoiceColumn, PortalSnippetViewSet, ReadOnly
from workflows.tasks import document_fill_metadata_task

from .admin_forms import DocumentAdminForm
from .models import Document


def download_document(request, pk):
    """Stream a GED file as an attachment to a staff member allowed to see documents (else
    403), when the file is within his reach: its source's right (document_list), else 404."""
    policy = policy_registry.get_by_type(Document)
    if not policy.user_has_any_permission(request.user, {"view", "change", "add", "delete"}):
        raise PermissionDenied
    document = get_object_or_404(
        policy.instances_user_has_any_permission_for(request.user, ["view", "change"]), pk=pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1],
        content_type=document.content_type or None,
    )


@hooks.register("register_admin_urls")
def register_document_download_url():
    return [
        path("ged/<int:pk>/telecharger/", download_document, name="portal_document_download"),
    ]


class PrivateDownloadColumn(DownloadColumn):
    def get_cell_context_data(self, instance, parent_context):
        context = super(DownloadColumn, self).get_cell_context_data(instance, parent_context)
        context["download_url"] = reverse("portal_document_download", args=[instance.pk])
        return context


class DocumentViewSet(PortalSnippetViewSet):
    model = Document
    icon = "folder-inverse"
    menu_label = _("Documents (GED)")
    menu_name = "ged"
    menu_order = 410
    add_to_admin_menu = True
    list_display = [
        "title",
        ChoiceColumn("kind", label=_("Type")),
        Column("client_account", label=_("Client"), sort_key="client_account__name"),
        Column("related_object", label=_("Rattaché à")),
        Column("document_date", label=_("Date du document"), sort_key="document_date"),
        Column("size", label=_("Taille"), sort_key="size",
               accessor=lambda d: filesizeformat(d.size) if d.size else ""),
        Column("created_at", label=_("Déposé le"), sort_key="created_at"),
        PrivateDownloadColumn("download", label=_("Fichier"),
                              accessor=lambda d: _("Télécharger")),
    ]
    list_filter = ["kind", "client_account"]
    search_fields = ["title", "client_account__name", "client_account__code", "checksum"]
    ordering = "-document_date"
    inspect_view_fields = [
        "title", "kind", "document_date", "file", "content_type", "size", "checksum",
        "client_account", "owner", "related_type", "related_id", "uploaded_by", "created_at",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("client_account"),
                           FieldPanel("document_date",
                                      help_text=_("Sa date propre (signature, émission…)."))]),
            FieldPanel("file"),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("related_type"), FieldPanel("related_id")])],
                heading=_("Rattachement"),
                help_text=_("L'objet auquel ce document appartient (facultatif)."),
            ),
            FieldPanel(
                "owner",
                help_text=_("Si renseigné, seul cet utilisateur peut le télécharger."),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([
                        ReadOnly("content_type"),
                        ReadOnly("size"),
                    ]),
                    ReadOnly("checksum"),
                    ReadOnly("uploaded_by"),
                ],
                heading=_("Fichier stocké"),
                help_text=_("Calculés après l'envoi du fichier."),
            ),
        ],
        base_form_class=DocumentAdminForm,
    )

    def get_queryset(self, request):
        return Document.objects.select_related("client_account", "related_type").prefetch_related(
            "related_object"
        )


register_snippet(DocumentViewSet)


def _queue_metadata(document: Document) -> None:
    if not document.checksum:
        document_fill_metadata_task.delay_on_commit(document.pk)


@hooks.register("after_create_snippet")
def fill_metadata_after_create(request, instance):
    if isinstance(instance, Document):
        _queue_metadata(instance)


@hooks.register("after_edit_snippet")
def fill_metadata_after_edit(request, instance):
    if isinstance(instance, Document):
        _queue_metadata(instance)

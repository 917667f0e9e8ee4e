"""What `OPTIONS` answers on the API (settings.REST_FRAMEWORK's DEFAULT_METADATA_CLASS).

Its own module: DRF imports the metadata class while defining APIView, before our viewsets
can be imported."""

from rest_framework.metadata import BaseMetadata


class PortalMetadata(BaseMetadata):
    """The endpoint's name, description and media types, with the `Allow` header DRF adds;
    nothing that depends on the data or on the user. Unlike DRF's SimpleMetadata it neither
    builds a serializer nor loads the object: a detail route answers the same for any id, so it
    reveals nothing, and the fields' shapes are in the OpenAPI schema anyway."""

    def determine_metadata(self, request, view):
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }

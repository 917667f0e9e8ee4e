from rest_framework import serializers

from .models import Equipment, Intervention


class EquipmentSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    contract_number = serializers.CharField(source="contract.number", read_only=True,
                                            default=None)

    class Meta:
        model = Equipment
        fields = ["id", "serial_number", "label", "brand", "model", "site", "site_name",
                  "install_date", "warranty_end", "contract", "contract_number", "active"]


class EquipmentInterventionSerializer(serializers.ModelSerializer):
    """An intervention as the equipment's history shows it."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    work_summary = serializers.SerializerMethodField()

    class Meta:
        model = Intervention
        fields = ["id", "number", "status", "status_label", "planned_start", "planned_end",
                  "arrival_at", "end_at", "under_warranty", "work_summary"]

    def get_work_summary(self, intervention) -> str:
        text = " ".join((intervention.work_done or intervention.description or "").split())
        return text if len(text) <= 240 else text[:239].rstrip() + "…"


class EquipmentDetailSerializer(EquipmentSerializer):
    """One piece of equipment with its site's address and the interventions done on it (None
    when the user may not follow interventions)."""

    site_address = serializers.CharField(source="site.full_address", read_only=True)
    contract_title = serializers.CharField(source="contract.title", read_only=True, default=None)
    interventions = serializers.SerializerMethodField()

    class Meta(EquipmentSerializer.Meta):
        fields = [*EquipmentSerializer.Meta.fields, "site_address", "contract_title",
                  "interventions"]

    def get_interventions(self, equipment) -> list[dict] | None:
        interventions = self.context.get("interventions")
        if interventions is None:
            return None
        return EquipmentInterventionSerializer(interventions, many=True).data

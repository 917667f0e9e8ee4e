from rest_framework import serializers

from .models import Equipment


class EquipmentSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    contract_number = serializers.CharField(source="contract.number", read_only=True,
                                            default=None)

    class Meta:
        model = Equipment
        fields = ["id", "serial_number", "label", "brand", "model", "site", "site_name",
                  "install_date", "warranty_end", "contract", "contract_number", "active"]

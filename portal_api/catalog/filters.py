import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Article, ArticleFamily


class ArticleFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label=_("recherche"))
    family = django_filters.ModelChoiceFilter(queryset=ArticleFamily.objects.all(),
                                              label=_("famille"))

    class Meta:
        model = Article
        fields = ["search", "family"]

    def filter_search(self, queryset, name, value):
        """Every word must appear in the reference, the label or the description."""
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(reference__icontains=word) | Q(label__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "gongkao.campaigns"
    label = "campaigns"
    verbose_name = "年度考务与工种"

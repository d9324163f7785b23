from django.apps import AppConfig


class WhatIfConfig(AppConfig):
    name = "gongkao.whatif"
    label = "whatif"
    verbose_name = "政策试算"

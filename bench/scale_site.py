"""Settings of bench/scale.py: Gongkao's own, with the URLs of scale_urls.py
(Gongkao's and one bare view). Used only by the benchmark
(DJANGO_SETTINGS_MODULE=scale_site with bench/ on the path)."""

from gongkao.settings import *  # noqa: F403

ROOT_URLCONF = "scale_urls"

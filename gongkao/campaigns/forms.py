from __future__ import annotations

from django import forms

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class CatalogueImportForm(forms.Form):
    file = forms.FileField(label="工种目录文件（.xlsx 或 .csv）")
    retire_starter = forms.BooleanField(
        label="停用文件中没有的入门目录工种", required=False, initial=True
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只支持 .xlsx 或 .csv 文件。")
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("文件不能超过5MB。")
        return upload

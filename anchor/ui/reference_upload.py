"""Upload a survey or the directory: template, checked preview, then confirm. Analysts only."""

from __future__ import annotations

import streamlit as st

from anchor import formatting as fmt
from anchor.auth import Role, User
from anchor.loading.readers import UnreadableFile, read_bytes
from anchor.loading.report import issues_table, report_csv
from anchor.surveys import SPECS, check_reference, columns_guide, save_reference, template_csv
from anchor.ui import flash
from anchor.ui.data import warehouse


def reference_upload(key: str, user: User) -> None:
    if not user.can(Role.ANALYST):
        return
    spec = SPECS[key]
    with st.expander(f"Load the {spec.label}", icon=":material/upload_file:"):
        st.caption(f"A file replaces {spec.replaces}. CSV or Excel; columns:")
        st.dataframe(columns_guide(key), hide_index=True)
        st.download_button("Template (CSV)", template_csv(key), f"anchor-{key}-template.csv",
                           "text/csv", key=f"{key}_template", icon=":material/download:")
        upload = st.file_uploader(f"{spec.label} file", type=["csv", "xlsx"],
                                  key=flash.nonce(f"{key}_file"))
        if upload is None:
            return
        try:
            checked = check_reference(warehouse(), key, read_bytes(upload.name, upload.getvalue()))
        except UnreadableFile as exc:
            st.error(fmt.md_text(exc))
            return
        if not checked.issues.empty:
            st.dataframe(issues_table(checked.issues), hide_index=True)
            st.download_button("Download this report", report_csv(checked.issues),
                               f"{upload.name}-report.csv", "text/csv", key=f"{key}_report")
        if not checked.ok:
            st.error(f"{fmt.md_text(upload.name)} has {fmt.count(len(checked.errors))} problems to fix; "
                     "nothing has been loaded.")
            return
        st.success(f"{fmt.md_text(upload.name)} is ready: {fmt.count(len(checked.rows))} rows, replacing "
                   f"{fmt.count(checked.replaces)}.")
        if st.button("Load it", key=f"{key}_confirm", type="primary"):
            load_id = save_reference(warehouse(), checked, user)
            flash.renew()
            flash.done(f"{fmt.md_text(upload.name)} loaded as load {load_id}.")

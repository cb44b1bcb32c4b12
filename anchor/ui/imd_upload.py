"""Import the English Indices of Deprivation from the Local employment page. Analysts only."""

from __future__ import annotations

import streamlit as st

from anchor import formatting as fmt
from anchor.auth import PermissionDenied, Role, User
from anchor.geography.imd import ImdFileError, read_imd, save_imd
from anchor.queries import workforce
from anchor.ui import state
from anchor.ui.data import warehouse


def imd_upload(user: User, *, synthetic: bool) -> None:
    """An expander with an uploader for File 7 of the English Indices of Deprivation: check,
    say what it matched, then replace every decile on confirmation."""
    if not user.can(Role.ANALYST):
        return
    title = ("Import the real deprivation deciles" if synthetic
             else "Replace the deprivation deciles")
    with st.expander(title, icon=":material/upload_file:"):
        st.caption("File 7 of the English Indices of Deprivation (2019 or 2025): the CSV of all "
                   "ranks, deciles and scores, from gov.uk. It replaces every decile held. The "
                   "same can be done with `anchor imd FILE`.")
        upload = st.file_uploader("File 7 (CSV)", type=["csv"], key=state.IMD_FILE)
        if upload is None:
            return
        try:
            imported = read_imd(upload, workforce.lsoa_names(warehouse()), file_name=upload.name)
        except ImdFileError as exc:
            st.error(fmt.md_text(exc))
            return
        st.success(f"{fmt.md_text(upload.name)}: {imported.source}. "
                   f"{fmt.count(imported.matched)} LSOAs matched "
                   f"by code, {fmt.count(imported.mapped)} through their MSOA, "
                   f"{fmt.count(imported.missing)} English LSOAs without a decile.")
        if st.button("Import these deciles", key=f"{state.IMD_FILE}_confirm", type="primary"):
            try:
                load_id = save_imd(warehouse(), imported, user)
            except PermissionDenied as exc:
                st.error(fmt.md_text(exc))
                return
            st.toast(f"Imported deprivation deciles for {fmt.count(imported.lsoas)} LSOAs "
                     f"(load {load_id}, on the Data page).", icon=":material/check_circle:")
            st.rerun()

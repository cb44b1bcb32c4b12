"""Change which local authorities make up a named place (a LEP, a combined authority)."""

from __future__ import annotations

import streamlit as st

from anchor.auth import Role
from anchor.formatting import md_text
from anchor.queries import places, reference
from anchor.ui import auth as ui_auth
from anchor.ui import state
from anchor.ui.data import query, warehouse


def render(container, row) -> None:
    """Analysts may change a place's members; everyone else sees who they are."""
    if not ui_auth.current_user().can(Role.ANALYST):
        container.caption(md_text(f"{row.name}: {', '.join(row.lad_names)}."))
        return
    with container.expander(f"Local authorities in {md_text(row.name)}", icon=":material/edit:"):
        lads = query(reference.lads)
        names = dict(zip(lads["lad_code"], lads["lad_name"]))
        chosen = st.multiselect(
            "Members", list(names), default=[c for c in row.lad_codes if c in names],
            format_func=names.get, key=f"{state.PLACE_EDIT}_{row.place_code}",
        )
        if st.button("Save", key=f"{state.PLACE_EDIT}_save_{row.place_code}",
                     disabled=sorted(chosen) == sorted(row.lad_codes)):
            try:
                places.save_place(warehouse(), row.place_code, row.name, row.kind, chosen,
                                  ui_auth.current_user())
            except ValueError as exc:
                st.error(md_text(exc))
            else:
                st.toast(f"{md_text(row.name)} now has {len(chosen)} local authorities.")
                st.rerun()

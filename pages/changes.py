"""What changed (更新履歴): every release, newest first, with its change list."""

import streamlit as st

from kawasaki.i18n import pick, t
from kawasaki.present import md
from kawasaki.releases import history, local_time
from kawasaki.site.views.changes import feed_path
from kawasaki.web import frame, urlstate
from kawasaki.web.cache import q, section

state = frame.page_view()
lang = state.lang
urlstate.canonical_url(state, keep=())


@section
def releases(lang: str) -> None:
    """Each release: when, what kind, its title and summary, its build, and its changes."""
    st.title(t("changes.heading", lang))
    st.write(t("changes.intro", lang))
    st.markdown(f"[{md(t('changes.feed', lang))}](.{feed_path(lang)})")
    entries = q(history)
    if not entries:
        st.info(t("changes.empty", lang), icon=":material/history:")
    for r in entries:
        if r["kind"] == "preview":
            st.warning(t("changes.preview_pending", lang), icon=":material/visibility:")
        kind = t(f"changes.kind.{r['kind']}", lang)
        st.header(md(pick(r, "title", lang)))
        meta = t(
            "changes.meta", lang, time=local_time(r["released_at"]), stamp=r["stamp"], as_of=r["data_as_of"]
        )
        st.caption(md(t("word.label_value", lang, label=kind, value=meta)))
        body = [f"**{md(pick(r, 'summary', lang))}**"]
        if pick(r, "note", lang):
            body.append(md(pick(r, "note", lang)))
        items = "\n".join(f"- {md(pick(c, 'text', lang))}" for c in r["changes"])
        st.markdown("\n\n".join([*body, items] if items else body))


releases(lang)

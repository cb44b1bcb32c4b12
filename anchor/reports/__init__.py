"""Reports about one place: the story (figures, sentences, sources), its charts as images,
the slide pack (PPTX) and the board paper (PDF). No Streamlit: the Place page, presentation
mode and `anchor report` all build from here, so they say the same thing."""

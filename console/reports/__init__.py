"""The centre's bulletins: what a period's figures say, laid out as a document and written in
the formats a street office forwards (docx, xlsx, Markdown) or a script reads (csv, json)."""

"""Reports drawn with Qt (the PDF report card). The core gathers the figures; this
package draws them and is imported lazily by the CLI, so the core never loads Qt."""

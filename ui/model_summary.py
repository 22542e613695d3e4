"""The "Model" tab: the trained model's layers, output shapes and parameter counts, as
Keras' model.summary() prints them. The table mirrors with the interface (its columns run
right to left in an RTL language); each cell's Keras text stays left to right inside."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from hafiza.ui.i18n import _, isolate, number


class ModelSummaryTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.verticalHeader().hide()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([_("Layer (type)"), _("Output shape"), _("Parameters")])

    def show_model(self, model) -> None:
        """One row per layer and the total (engine.summary reads the model's own shapes)."""
        from hafiza.engine.summary import summarize

        summary = summarize(model)
        self.setRowCount(len(summary.rows) + 1)
        for row, item in enumerate(summary.rows):
            shape = "(" + ", ".join("None" if s is None else str(s)
                                    for s in item.output_shape) + ")"
            values = (isolate(f"{item.name} ({item.layer_type})"), isolate(shape),
                      number(item.params))
            for column, value in enumerate(values):
                self.setItem(row, column, QTableWidgetItem(value))
        total = QTableWidgetItem(_("Total: {n}").format(n=number(summary.total)))
        self.setItem(len(summary.rows), 0, total)
        self.resizeColumnsToContents()

    def clear_rows(self) -> None:
        self.setRowCount(0)

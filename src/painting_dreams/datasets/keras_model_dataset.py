"""A ``.keras`` model that is checked to be a whole file before Keras reads it.

Keras reports a truncated or damaged ``.keras`` file (e.g. a copy cut short by a full disk) as
"File not found", which sends a user looking for a file that is there.
:func:`painting_dreams.files.check_keras_file` tells the two apart; :class:`KerasModelDataset`
(Kedro's ``TensorFlowModelDataset``) uses it, as the shipped painters' loader does.
"""

from __future__ import annotations

from kedro.io.core import DatasetError, get_filepath_str
from kedro_datasets.tensorflow import TensorFlowModelDataset

from painting_dreams.files import UnreadableModelError, check_keras_file


class KerasModelDataset(TensorFlowModelDataset):
    """``TensorFlowModelDataset`` whose load first checks the file is a whole ``.keras`` archive."""

    def load(self):
        path = get_filepath_str(self._get_load_path(), self._protocol)
        if not self._is_h5:
            try:
                check_keras_file(path, self._fs)
            except UnreadableModelError as exc:
                raise DatasetError(str(exc)) from exc
        return super().load()

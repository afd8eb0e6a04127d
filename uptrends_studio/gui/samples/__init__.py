"""The parts the sample panel (:mod:`uptrends_studio.gui.sample_panel`) is composed of."""

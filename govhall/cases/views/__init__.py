"""The cases app's pages: the window desk (`window`), the public's supplement, progress and
booking pages (`public`), and the staff's appointment pages (`appointments`)."""

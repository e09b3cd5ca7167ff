"""Knowledge about scripts and characters shared by several stages."""

document.documentElement.dataset.scripted = "yes";

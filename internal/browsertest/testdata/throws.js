console.error("logged on purpose");
throw new Error("thrown on purpose");

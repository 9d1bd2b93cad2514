let ztpolVersion = "0.1.0"

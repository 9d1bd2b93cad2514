print("ztpol")

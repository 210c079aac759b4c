"""The demo district's data files, shipped inside the package as console.seeds.

pyproject.toml maps this folder into the package, so a wheel carries the files and
`console.demo.seedfiles` finds them beside this module, installed or in a checkout.
"""

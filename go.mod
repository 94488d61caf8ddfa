module cairn

go 1.26.8

module github.com/finsam/finsam

go 1.26.8

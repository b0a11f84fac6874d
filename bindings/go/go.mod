module cogniforge.dev/cogniforge

go 1.19

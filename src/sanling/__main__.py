from sanling.cli import main

main()

"""The template language: lexer, parser, evaluator, functions, .NET date formats, catalogue."""

//! `static/app.css` parsed by a real CSS parser (cssparser, Servo's): any rule or declaration it
//! cannot read, a block that the end of the file closes (a missing `}` puts every rule after it
//! inside the block above, e.g. a phones-only `@media`), or a closing bracket without an opening
//! one fails the test with its line.

use cssparser::{
    AtRuleParser, CowRcStr, DeclarationParser, ParseError, Parser, ParserState,
    QualifiedRuleParser, RuleBodyItemParser, RuleBodyParser, StyleSheetParser, Token,
};

type Problem = String;

/// Rules of a stylesheet, or of a conditional group (`@media`, `@supports`) inside it.
struct Rules<'e> {
    errors: &'e mut Vec<Problem>,
    /// Inside a conditional group: a second one there means a block was left open above.
    in_group: bool,
}

impl<'i> QualifiedRuleParser<'i> for Rules<'_> {
    type Prelude = ();
    type QualifiedRule = ();
    type Error = Problem;

    fn parse_prelude(&mut self, input: &mut Parser<'i>) -> Result<(), ParseError<Problem>> {
        consume_all(input, "a selector")
    }

    fn parse_block(
        &mut self,
        _: (),
        _: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<(), ParseError<Problem>> {
        declarations(input, self.errors);
        Ok(())
    }
}

impl<'i> AtRuleParser<'i> for Rules<'_> {
    type Prelude = String;
    type AtRule = ();
    type Error = Problem;

    fn parse_prelude(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
    ) -> Result<String, ParseError<Problem>> {
        let name = name.to_ascii_lowercase();
        if !["media", "supports", "keyframes", "font-face", "page"].contains(&name.as_str()) {
            return Err(ParseError::custom(format!("unexpected @{name}")));
        }
        if self.in_group && (name == "media" || name == "supports") {
            return Err(ParseError::custom(format!(
                "@{name} inside another @media or @supports: is a block above left open?"
            )));
        }
        // `@font-face` has no prelude; `@page` may have none (a page selector is optional).
        if name != "font-face" && name != "page" {
            consume_all(input, "a condition or name")?;
        }
        Ok(name)
    }

    fn parse_block(
        &mut self,
        name: String,
        _: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<(), ParseError<Problem>> {
        match name.as_str() {
            "font-face" | "page" => declarations(input, self.errors),
            _ => {
                let mut nested = Rules {
                    errors: self.errors,
                    in_group: name != "keyframes",
                };
                rules(input, &mut nested);
            }
        }
        Ok(())
    }
}

/// Declarations of a rule; a rule inside a rule means a `}` is missing.
struct Declarations;

impl<'i> DeclarationParser<'i> for Declarations {
    type Declaration = ();
    type Error = Problem;

    fn parse_value(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
        _: &ParserState,
    ) -> Result<(), ParseError<Problem>> {
        let valid =
            name.starts_with("--") || name.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        if !valid {
            return Err(ParseError::custom(format!("{name} is no property name")));
        }
        consume_all(input, "a value")
    }
}

impl<'i> AtRuleParser<'i> for Declarations {
    type Prelude = ();
    type AtRule = ();
    type Error = Problem;
}

impl<'i> QualifiedRuleParser<'i> for Declarations {
    type Prelude = ();
    type QualifiedRule = ();
    type Error = Problem;
}

impl<'i> RuleBodyItemParser<'i, (), Problem> for Declarations {
    fn parse_declarations(&self) -> bool {
        true
    }
    fn parse_qualified(&self) -> bool {
        false
    }
}

fn rules<'i>(input: &mut Parser<'i>, parser: &mut Rules<'_>) {
    let mut found = Vec::new();
    for result in StyleSheetParser::new(input, parser) {
        if let Err((error, text, location)) = result {
            found.push(describe(&error, text, location.line));
        }
    }
    parser.errors.extend(found);
}

fn declarations<'i>(input: &mut Parser<'i>, errors: &mut Vec<Problem>) {
    for result in RuleBodyParser::new(input, &mut Declarations) {
        if let Err((error, text, location)) = result {
            errors.push(describe(&error, text, location.line));
        }
    }
}

fn describe(error: &ParseError<Problem>, text: &str, line: u32) -> Problem {
    let what = match &error.kind {
        cssparser::ParseErrorKind::Custom(why) => why.clone(),
        cssparser::ParseErrorKind::Basic(kind) => format!("{kind:?}"),
    };
    format!(
        "line {}: {what}: {}",
        line + 1,
        text.trim().chars().take(80).collect::<String>()
    )
}

/// Reads every token of `input`, which must not be empty.
fn consume_all<'i>(input: &mut Parser<'i>, what: &str) -> Result<(), ParseError<Problem>> {
    if input.is_exhausted() {
        return Err(ParseError::custom(format!("{what} is missing")));
    }
    while input.next().is_ok() {}
    Ok(())
}

/// Every `{`, `(` and `[` must be closed by its own bracket, not by the end of the file; a closing
/// bracket needs an opening one; strings and urls must be well formed.
fn brackets(source: &str) -> Vec<Problem> {
    fn walk<'i>(input: &mut Parser<'i>, source: &str, problems: &mut Vec<Problem>) {
        loop {
            let line = input.current_source_location().line + 1;
            let closer = match input.next_including_whitespace_and_comments() {
                Err(_) => return,
                Ok(Token::CurlyBracketBlock) => '}',
                Ok(Token::ParenthesisBlock | Token::Function(_)) => ')',
                Ok(Token::SquareBracketBlock) => ']',
                Ok(
                    Token::CloseCurlyBracket | Token::CloseParenthesis | Token::CloseSquareBracket,
                ) => {
                    problems.push(format!(
                        "line {line}: a closing bracket without an opening one"
                    ));
                    continue;
                }
                Ok(Token::BadString(_) | Token::BadUrl(_)) => {
                    problems.push(format!("line {line}: a string or url that is not closed"));
                    continue;
                }
                Ok(_) => continue,
            };
            let _ = input.parse_nested_block(|nested| {
                walk(nested, source, problems);
                Ok::<(), ParseError<()>>(())
            });
            let end = input.position().byte_index();
            if !source[..end].ends_with(closer) {
                problems.push(format!(
                    "line {line}: this block is never closed (a '{closer}' is missing)"
                ));
            }
        }
    }
    let mut problems = Vec::new();
    walk(&mut Parser::new(source), source, &mut problems);
    problems
}

fn problems_of(source: &str) -> Vec<Problem> {
    let mut errors = brackets(source);
    if !source.ends_with('\n') {
        errors.push("the file does not end with a line break".into());
    }
    let mut parser = Parser::new(source);
    rules(
        &mut parser,
        &mut Rules {
            errors: &mut errors,
            in_group: false,
        },
    );
    errors
}

#[test]
fn every_stylesheet_parses_without_a_single_error() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "css") {
            let source = std::fs::read_to_string(&path).unwrap();
            let problems = problems_of(&source);
            assert!(
                problems.is_empty(),
                "{}:\n{}",
                path.display(),
                problems.join("\n")
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "app.css and noscript.css");
}

#[test]
fn the_check_finds_an_open_block_a_stray_bracket_and_a_bad_declaration() {
    let open = "@media (max-width: 640px) {\n  .a { color: red; }\n.b { color: blue; }\n@media print { .c { color: red; } }\n";
    assert!(
        !problems_of(open).is_empty(),
        "a @media that the end of the file closes"
    );
    assert!(
        !problems_of(".a { color: red; }\n}\n").is_empty(),
        "a stray closing brace"
    );
    assert!(
        !problems_of(".a { color red; }\n").is_empty(),
        "a declaration without a colon"
    );
    assert!(
        !problems_of(".a { color: ; }\n").is_empty(),
        "a declaration without a value"
    );
    assert!(
        !problems_of(".a { .b { color: red; } }\n").is_empty(),
        "a rule inside a rule"
    );
    assert!(
        !problems_of(".a { width: calc(1px + 2px; }\n").is_empty(),
        "an open parenthesis"
    );
    let fine =
        "@media (max-width: 640px) {\n  .a { color: red; }\n}\n.b::before { content: \"x\"; }\n";
    assert_eq!(problems_of(fine), Vec::<String>::new());
}

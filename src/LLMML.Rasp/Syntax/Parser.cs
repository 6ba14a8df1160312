namespace LLMML.Rasp.Syntax;

/// <summary>Recursive-descent parser for .rasp files (a small Python-like expression language).</summary>
internal sealed class Parser(List<Token> tokens)
{
    private int _pos;
    private int _nesting;

    private Token Peek => tokens[_pos];
    private Token Next() => tokens[_pos++];
    private bool IsOp(string op) => Peek.Kind == TokenKind.Op && Peek.Text == op;
    private bool IsName(string name) => Peek.Kind == TokenKind.Name && Peek.Text == name;

    private Token Expect(string op)
    {
        if (!IsOp(op)) throw Error(Peek, $"expected '{op}' but found '{Peek.Text}'");
        return Next();
    }

    private static RaspSyntaxException Error(Token t, string message) => new(t.Line, t.Column, message);

    public List<Statement> ParseProgram()
    {
        var statements = new List<Statement>();
        while (Peek.Kind != TokenKind.End)
        {
            if (Peek.Kind == TokenKind.Newline) { Next(); continue; }
            var start = Peek;
            if (IsName("output"))
            {
                Next();
                statements.Add(new OutputStatement(Expression(), start.Line, start.Column));
            }
            else if (start.Kind == TokenKind.Name && tokens[_pos + 1].Kind == TokenKind.Op && tokens[_pos + 1].Text == "=")
            {
                Next();
                Next();
                statements.Add(new AssignStatement(start.Text, Expression(), start.Line, start.Column));
            }
            else throw Error(start, "expected 'name = expression' or 'output expression'");
            if (Peek.Kind != TokenKind.Newline && Peek.Kind != TokenKind.End)
                throw Error(Peek, $"unexpected '{Peek.Text}' after the end of the statement");
        }
        return statements;
    }

    // Every nesting (brackets, call arguments, lambda bodies, prefix operators) recurses here, so
    // the count bounds the parser's stack; evaluation bounds operator chains (RaspScript.MaxDepth).
    private Node Nested(Func<Node> parse)
    {
        if (_nesting >= RaspScript.MaxDepth)
            throw Error(Peek, $"brackets, calls or prefix operators nest deeper than {RaspScript.MaxDepth} levels; split the expression over several lines");
        _nesting++;
        try { return parse(); }
        finally { _nesting--; }
    }

    private Node Expression() => Nested(ExpressionBody);

    private Node ExpressionBody()
    {
        if (IsName("lambda"))
        {
            var t = Next();
            var ps = new List<string>();
            while (!IsOp(":"))
            {
                if (Peek.Kind != TokenKind.Name) throw Error(Peek, "expected a parameter name");
                ps.Add(Next().Text);
                if (!IsOp(":")) Expect(",");
            }
            Expect(":");
            return new LambdaNode(ps, Expression(), t.Line, t.Column);
        }
        var value = Or();
        if (IsName("if"))
        {
            var t = Next();
            var cond = Or();
            if (!IsName("else")) throw Error(Peek, "expected 'else'");
            Next();
            return new ConditionalNode(cond, value, Expression(), t.Line, t.Column);
        }
        return value;
    }

    private Node Or()
    {
        var left = And();
        while (IsName("or") || IsOp("|"))
        {
            var t = Next();
            left = new BinaryNode("or", left, And(), t.Line, t.Column);
        }
        return left;
    }

    private Node And()
    {
        var left = Not();
        while (IsName("and") || IsOp("&"))
        {
            var t = Next();
            left = new BinaryNode("and", left, Not(), t.Line, t.Column);
        }
        return left;
    }

    private Node Not()
    {
        if (IsName("not") || IsOp("~"))
        {
            var t = Next();
            return new UnaryNode("not", Nested(Not), t.Line, t.Column);
        }
        return Comparison();
    }

    private static readonly HashSet<string> Comparisons = ["==", "!=", "<", "<=", ">", ">="];

    private Node Comparison()
    {
        var left = Sum();
        if (Peek.Kind == TokenKind.Op && Comparisons.Contains(Peek.Text))
        {
            var t = Next();
            return new BinaryNode(t.Text, left, Sum(), t.Line, t.Column);
        }
        return left;
    }

    private Node Sum()
    {
        var left = Term();
        while (IsOp("+") || IsOp("-"))
        {
            var t = Next();
            left = new BinaryNode(t.Text, left, Term(), t.Line, t.Column);
        }
        return left;
    }

    private Node Term()
    {
        var left = Unary();
        while (IsOp("*") || IsOp("/") || IsOp("%"))
        {
            var t = Next();
            left = new BinaryNode(t.Text, left, Unary(), t.Line, t.Column);
        }
        return left;
    }

    private Node Unary()
    {
        if (IsOp("-"))
        {
            var t = Next();
            return new UnaryNode("-", Nested(Unary), t.Line, t.Column);
        }
        return Postfix();
    }

    private Node Postfix()
    {
        var node = Primary();
        while (IsOp("("))
        {
            var t = Next();
            var args = new List<Argument>();
            while (!IsOp(")"))
            {
                if (Peek.Kind == TokenKind.Name && tokens[_pos + 1].Kind == TokenKind.Op && tokens[_pos + 1].Text == "=")
                {
                    var name = Next().Text;
                    Next();
                    args.Add(new Argument(name, Expression()));
                }
                else args.Add(new Argument(null, Expression()));
                if (!IsOp(")")) Expect(",");
            }
            Expect(")");
            node = new CallNode(node, args, t.Line, t.Column);
        }
        return node;
    }

    private Node Primary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Number: return new NumberNode(t.Number, t.Line, t.Column);
            case TokenKind.String: return new StringNode(t.Text, t.Line, t.Column);
            case TokenKind.Name: return new NameNode(t.Text, t.Line, t.Column);
            case TokenKind.Op when t.Text == "(":
                var inner = Expression();
                Expect(")");
                return inner;
            default: throw Error(t, $"expected a value but found '{t.Text}'");
        }
    }
}

using System.Runtime.CompilerServices;
using LLMML.Rasp.Language;

namespace LLMML.Rasp.Syntax;

/// <summary>
/// The text syntax for RASP programs (.rasp files): one statement a line, Python-like expressions.
/// <code>
/// # reverse
/// length = selector_width(select(tokens, tokens, TRUE))
/// opp = sequence_map(lambda n, i: n - i - 1, length, indices)
/// reverse = aggregate(select(indices, opp, EQ), tokens)
/// output reverse
/// </code>
/// Built-ins: tokens, indices, map, sequence_map, linear_sequence_map, full, select, aggregate
/// (default=…), selector_width, numerical, categorical, the comparisons EQ LT LEQ GT GEQ NEQ TRUE FALSE;
/// operators + − * / % == != &lt; &lt;= &gt; &gt;= and or not (&amp; | ~) on values, SOps and selectors;
/// lambdas with `x if c else y` and min, max, abs, round, floor, int, str. An assignment names the new
/// SOp or selector it creates (`x = tokens` or `y = x` is only an alias); without an `output` line the
/// last assignment is the output. Errors carry line and column (and the file, from <see cref="Load"/>).
/// </summary>
public static class RaspScript
{
    /// <summary>
    /// Deepest expression evaluation (nested calls, operator chains, lambda recursion) before the
    /// program is refused with the line it reached; far below what overflows a 1 MB thread stack.
    /// </summary>
    public const int MaxDepth = 200;

    /// <summary>Parses and evaluates a program; returns its output SOp.</summary>
    public static SOp Parse(string text) => Parse(text, null);

    private static SOp Parse(string text, string? file)
    {
        try { return Run(text, file); }
        catch (RaspSyntaxException e) when (e.File is null && file is not null) { throw new RaspSyntaxException(e.Line, e.Column, e.Problem, file); }
    }

    private static SOp Run(string text, string? file)
    {
        var statements = new Parser(Lexer.Tokenize(text)).ParseProgram();
        var globals = new Scope(null, file);
        object? output = null;
        Statement? outputStatement = null;
        foreach (var s in statements)
        {
            switch (s)
            {
                case AssignStatement a:
                    var v = Eval(a.Value, globals);
                    // An assignment names a new expression; `x = tokens` or `y = x` is an alias and
                    // renames nothing (tokens and indices are shared by every program in the process).
                    if (v is SOp { HasName: false } sop) sop.Named(a.Name);
                    else if (v is Selector { HasName: false } sel) sel.Named(a.Name);
                    globals.Set(a.Name, v);
                    if (v is SOp) { output = v; outputStatement = s; }
                    break;
                case OutputStatement o:
                    output = Eval(o.Value, globals);
                    outputStatement = s;
                    break;
            }
        }
        if (output is null) throw new RaspSyntaxException(1, 1, "the program defines no SOp (assign one, or write 'output expression')");
        if (output is not SOp result)
            throw new RaspSyntaxException(outputStatement!.Line, outputStatement.Column, $"the output must be an SOp, not {Describe(output)}");
        return result;
    }

    /// <summary>Largest .rasp file read (a program is a few hundred lines; this bounds memory, not style).</summary>
    public const long MaxFileBytes = 16 << 20;

    /// <summary>Reads and parses a .rasp file; errors name the file.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is larger than <see cref="MaxFileBytes"/>.</exception>
    /// <exception cref="RaspSyntaxException">The program is malformed (with file, line and column).</exception>
    public static SOp Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"No .rasp file at '{path}'.", path);
        if (info.Length > MaxFileBytes)
            throw new InvalidDataException($"'{path}' is {info.Length:N0} bytes; a .rasp program may be at most {MaxFileBytes:N0}.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Variables: the program's globals, or a lambda's parameters over the scope it was defined in
    /// (a chain, so calling a lambda never copies the globals).
    /// </summary>
    private sealed class Scope(Scope? parent, string? file = null)
    {
        private readonly Dictionary<string, object> _vars = new(StringComparer.Ordinal);
        private readonly Scope? _parent = parent;

        /// <summary>The file the program came from (errors of lambdas called later still name it).</summary>
        public string? File { get; } = file ?? parent?.File;

        public void Set(string name, object value) => _vars[name] = value;

        public bool TryGet(string name, out object value)
        {
            for (var s = this; s is not null; s = s._parent)
                if (s._vars.TryGetValue(name, out value!)) return true;
            value = null!;
            return false;
        }
    }

    private sealed record Closure(LambdaNode Lambda, Scope Env);

    [ThreadStatic] private static int t_depth;

    private sealed record Builtin(string Name);

    private static readonly string[] Builtins =
        ["map", "sequence_map", "linear_sequence_map", "full", "select", "aggregate", "selector_width", "numerical", "categorical",
         "min", "max", "abs", "round", "floor", "int", "str"];

    private static RaspSyntaxException Error(Node n, string message) => new(n.Line, n.Column, message);

    private static string Describe(object o) => o switch
    {
        SOp s => $"SOp '{s.Label}'",
        Selector s => $"selector '{s.Label}'",
        RaspValue v => $"value {v}",
        Closure => "a lambda",
        Builtin b => $"function {b.Name}",
        Comparison c => $"comparison {c}",
        _ => o.GetType().Name,
    };

    private static object Eval(Node node, Scope env)
    {
        // Lambdas run later, inside value-set inference and the evaluator, so the depth is per thread.
        if (t_depth >= MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw Error(node, $"the expression nests deeper than {MaxDepth} levels (a recursive lambda, or too long a chain of operators or calls); split it over several lines");
        t_depth++;
        try { return EvalNode(node, env); }
        finally { t_depth--; }
    }

    private static object EvalNode(Node node, Scope env)
    {
        switch (node)
        {
            case NumberNode n: return (RaspValue)n.Value;
            case StringNode s: return (RaspValue)s.Value;
            case NameNode name:
                if (env.TryGet(name.Name, out var v)) return v;
                return name.Name switch
                {
                    "tokens" => RaspOps.Tokens,
                    "indices" => RaspOps.Indices,
                    "True" => (RaspValue)true,
                    "False" => (RaspValue)false,
                    "None" => RaspValue.None,
                    _ when Enum.TryParse<Comparison>(name.Name, false, out var c) && name.Name == name.Name.ToUpperInvariant() => c,
                    _ when Builtins.Contains(name.Name) => new Builtin(name.Name),
                    _ => throw Error(name, $"unknown name '{name.Name}'"),
                };
            case LambdaNode l: return new Closure(l, env);
            case ConditionalNode c:
                return Value(c.Condition, env).IsTrue ? Eval(c.Then, env) : Eval(c.Else, env);
            case UnaryNode u: return Unary(u, Eval(u.Operand, env));
            case BinaryNode b: return Binary(b, Eval(b.Left, env), Eval(b.Right, env));
            case CallNode call: return Call(call, env);
            default: throw Error(node, "unsupported expression");
        }
    }

    private static RaspValue Value(Node n, Scope env) =>
        Eval(n, env) is RaspValue v ? v : throw Error(n, "expected a plain value here");

    private static object Unary(UnaryNode u, object x) => (u.Op, x) switch
    {
        ("-", RaspValue v) => -v,
        ("-", SOp s) => -s,
        ("not", RaspValue v) => !v,
        ("not", SOp s) => ~s,
        ("not", Selector s) => !s,
        _ => throw Error(u, $"cannot apply '{u.Op}' to {Describe(x)}"),
    };

    private static object Binary(BinaryNode b, object l, object r)
    {
        try
        {
            return (l, r) switch
            {
                (RaspValue x, RaspValue y) => b.Op switch
                {
                    "+" => x + y,
                    "-" => x - y,
                    "*" => x * y,
                    "/" => x / y,
                    "%" => x % y,
                    "==" => x == y,
                    "!=" => x != y,
                    "<" => x < y,
                    "<=" => x <= y,
                    ">" => x > y,
                    ">=" => x >= y,
                    "and" => x & y,
                    "or" => x | y,
                    _ => throw Error(b, $"unknown operator '{b.Op}'"),
                },
                (SOp x, SOp y) => b.Op switch
                {
                    "+" => x + y,
                    "-" => x - y,
                    "*" => x * y,
                    "/" => x / y,
                    "%" => RaspOps.SequenceMap((p, q) => p % q, x, y, "mod"),
                    "==" => x == y,
                    "!=" => x != y,
                    "<" => x < y,
                    "<=" => x <= y,
                    ">" => x > y,
                    ">=" => x >= y,
                    "and" => x & y,
                    "or" => x | y,
                    _ => throw Error(b, $"unknown operator '{b.Op}'"),
                },
                (SOp x, RaspValue c) => SopValue(b, x, c, flipped: false),
                (RaspValue c, SOp x) => SopValue(b, x, c, flipped: true),
                (Selector x, Selector y) when b.Op is "and" or "or" => b.Op == "and" ? x & y : x | y,
                _ => throw Error(b, $"cannot apply '{b.Op}' to {Describe(l)} and {Describe(r)}"),
            };
        }
        catch (InvalidOperationException e)
        {
            throw Error(b, e.Message);
        }
    }

    private static SOp SopValue(BinaryNode b, SOp s, RaspValue c, bool flipped)
    {
        Func<RaspValue, RaspValue, RaspValue> op = b.Op switch
        {
            "+" => (x, y) => x + y,
            "-" => (x, y) => x - y,
            "*" => (x, y) => x * y,
            "/" => (x, y) => x / y,
            "%" => (x, y) => x % y,
            "==" => (x, y) => x == y,
            "!=" => (x, y) => x != y,
            "<" => (x, y) => x < y,
            "<=" => (x, y) => x <= y,
            ">" => (x, y) => x > y,
            ">=" => (x, y) => x >= y,
            "and" => (x, y) => x & y,
            "or" => (x, y) => x | y,
            _ => throw Error(b, $"unknown operator '{b.Op}'"),
        };
        return flipped ? RaspOps.Map(x => op(c, x), s, $"{c} {b.Op} x") : RaspOps.Map(x => op(x, c), s, $"x {b.Op} {c}");
    }

    private static Func<RaspValue[], RaspValue> AsFunction(Node site, object f, int arity)
    {
        switch (f)
        {
            case Closure c:
                if (c.Lambda.Parameters.Count != arity)
                    throw Error(site, $"expected a lambda of {arity} parameter(s), got {c.Lambda.Parameters.Count}");
                return args =>
                {
                    var env = new Scope(c.Env);
                    for (var i = 0; i < arity; i++) env.Set(c.Lambda.Parameters[i], args[i]);
                    try
                    {
                        return Eval(c.Lambda.Body, env) is RaspValue v ? v
                            : throw Error(c.Lambda.Body, "a lambda must return a plain value");
                    }
                    catch (RaspSyntaxException e) when (e.File is null && env.File is not null)
                    {
                        throw new RaspSyntaxException(e.Line, e.Column, e.Problem, env.File);
                    }
                };
            case Builtin b when arity == 1 && b.Name is "abs" or "round" or "floor" or "int" or "str":
                return args => ApplyBuiltin(site, b.Name, args);
            default:
                throw Error(site, $"expected a lambda, got {Describe(f)}");
        }
    }

    private static RaspValue ApplyBuiltin(Node site, string name, RaspValue[] a)
    {
        RaspValue One() => a.Length == 1 ? a[0] : throw Error(site, $"{name} takes one argument");
        return name switch
        {
            "min" => a.Length >= 1 ? a.Min() : throw Error(site, "min needs arguments"),
            "max" => a.Length >= 1 ? a.Max() : throw Error(site, "max needs arguments"),
            "abs" => Math.Abs(One().Number),
            "round" => Math.Round(One().Number, MidpointRounding.ToEven),
            "floor" => Math.Floor(One().Number),
            "int" => One().IsText ? RaspValue.Parse(One().Text) : Math.Truncate(One().Number),
            "str" => One().ToString(),
            _ => throw Error(site, $"'{name}' is not a value function"),
        };
    }

    private static SOp Annotate(CallNode call, Func<SOp> annotate)
    {
        try { return annotate(); }
        catch (InvalidOperationException e) { throw Error(call, e.Message); }
    }

    private static object Call(CallNode call, Scope env)
    {
        var callee = Eval(call.Callee, env);
        var positional = call.Arguments.Where(a => a.Name is null).Select(a => Eval(a.Value, env)).ToList();
        var named = call.Arguments.Where(a => a.Name is not null).ToDictionary(a => a.Name!, a => Eval(a.Value, env));
        if (callee is Closure c)
        {
            var f = AsFunction(call, c, positional.Count);
            return f(positional.Select((p, i) => p is RaspValue v ? v : throw Error(call, $"argument {i + 1} must be a plain value")).ToArray());
        }
        if (callee is not Builtin b) throw Error(call, $"{Describe(callee)} is not callable");

        T Arg<T>(int i, string what)
        {
            if (i >= positional.Count) throw Error(call, $"{b.Name} needs {what} as argument {i + 1}");
            return positional[i] is T t ? t : throw Error(call, $"{b.Name}: argument {i + 1} ({what}) must be {typeof(T).Name}, not {Describe(positional[i])}");
        }
        void Arity(int n)
        {
            if (positional.Count != n) throw Error(call, $"{b.Name} takes {n} argument(s), got {positional.Count}");
        }

        switch (b.Name)
        {
            case "map":
                Arity(2);
                var f1 = AsFunction(call, positional[0], 1);
                return RaspOps.Map(x => f1([x]), Arg<SOp>(1, "an SOp"));
            case "sequence_map":
                Arity(3);
                var f2 = AsFunction(call, positional[0], 2);
                return RaspOps.SequenceMap((x, y) => f2([x, y]), Arg<SOp>(1, "an SOp"), Arg<SOp>(2, "an SOp"));
            case "linear_sequence_map":
                Arity(4);
                return RaspOps.LinearSequenceMap(Arg<SOp>(0, "an SOp"), Arg<SOp>(1, "an SOp"), Arg<RaspValue>(2, "a number").Number, Arg<RaspValue>(3, "a number").Number);
            case "full":
                Arity(1);
                return RaspOps.Full(Arg<RaspValue>(0, "a value"));
            case "select":
                Arity(3);
                var keys = Arg<SOp>(0, "the keys SOp");
                var queries = Arg<SOp>(1, "the queries SOp");
                return positional[2] switch
                {
                    Comparison cmp => RaspOps.Select(keys, queries, cmp),
                    Closure or Builtin => RaspOps.Select(keys, queries, (k, q) => AsFunction(call, positional[2], 2)([k, q]).IsTrue, "lambda"),
                    var other => throw Error(call, $"select: the predicate must be a comparison or a lambda(key, query), not {Describe(other)}"),
                };
            case "aggregate":
                if (positional.Count != 2 && positional.Count != 3) throw Error(call, "aggregate takes (selector, sop[, default])");
                var dflt = positional.Count == 3 ? positional[2] : named.GetValueOrDefault("default", RaspValue.None);
                if (dflt is not RaspValue dv) throw Error(call, "aggregate: the default must be a plain value");
                return RaspOps.Aggregate(Arg<Selector>(0, "a selector"), Arg<SOp>(1, "an SOp"), dv);
            case "selector_width":
                Arity(1);
                return RaspOps.SelectorWidth(Arg<Selector>(0, "a selector"));
            case "numerical":
                Arity(1);
                return Annotate(call, () => RaspOps.Numerical(Arg<SOp>(0, "an SOp")));
            case "categorical":
                Arity(1);
                return Annotate(call, () => RaspOps.Categorical(Arg<SOp>(0, "an SOp")));
            default:
                return ApplyBuiltin(call, b.Name, positional.Select((p, i) => p is RaspValue v ? v : throw Error(call, $"{b.Name}: argument {i + 1} must be a plain value")).ToArray());
        }
    }
}

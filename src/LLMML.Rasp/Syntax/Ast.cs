namespace LLMML.Rasp.Syntax;

internal abstract record Node(int Line, int Column);
internal sealed record NumberNode(double Value, int Line, int Column) : Node(Line, Column);
internal sealed record StringNode(string Value, int Line, int Column) : Node(Line, Column);
internal sealed record NameNode(string Name, int Line, int Column) : Node(Line, Column);
internal sealed record UnaryNode(string Op, Node Operand, int Line, int Column) : Node(Line, Column);
internal sealed record BinaryNode(string Op, Node Left, Node Right, int Line, int Column) : Node(Line, Column);
internal sealed record ConditionalNode(Node Condition, Node Then, Node Else, int Line, int Column) : Node(Line, Column);
internal sealed record LambdaNode(IReadOnlyList<string> Parameters, Node Body, int Line, int Column) : Node(Line, Column);
internal sealed record Argument(string? Name, Node Value);
internal sealed record CallNode(Node Callee, IReadOnlyList<Argument> Arguments, int Line, int Column) : Node(Line, Column);

internal abstract record Statement(int Line, int Column);
internal sealed record AssignStatement(string Name, Node Value, int Line, int Column) : Statement(Line, Column);
internal sealed record OutputStatement(Node Value, int Line, int Column) : Statement(Line, Column);

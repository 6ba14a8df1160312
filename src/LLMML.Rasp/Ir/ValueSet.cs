using LLMML.Rasp.Language;

namespace LLMML.Rasp.Ir;

/// <summary>What an SOp can hold: its values (sorted) and whether it can be None.</summary>
public sealed record ValueSet(IReadOnlyList<RaspValue> Values, bool MayBeNone);

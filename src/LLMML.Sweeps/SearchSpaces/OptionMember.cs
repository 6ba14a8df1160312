using System.Reflection;

namespace LLMML.Sweeps.SearchSpaces;

/// <summary>
/// A public settable property or field of an options class: LLMML's options use properties, ML.NET's trainer options
/// (e.g. <c>SdcaMaximumEntropyMulticlassTrainer.Options</c>) public fields, and a search space binds to either.
/// </summary>
internal sealed class OptionMember
{
    private readonly PropertyInfo? _property;
    private readonly FieldInfo? _field;

    private OptionMember(PropertyInfo? property, FieldInfo? field) => (_property, _field) = (property, field);

    public Type Type => _property?.PropertyType ?? _field!.FieldType;

    public bool CanSet => _property?.SetMethod?.IsPublic == true || _field is { IsInitOnly: false, IsLiteral: false };

    public object? GetValue(object target) => _property is not null ? _property.GetValue(target) : _field!.GetValue(target);

    public void SetValue(object target, object? value)
    {
        if (_property is not null) _property.SetValue(target, value);
        else _field!.SetValue(target, value);
    }

    public static OptionMember? Find(Type type, string name)
    {
        if (type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is { GetMethod: not null } property) return new(property, null);
        return type.GetField(name, BindingFlags.Public | BindingFlags.Instance) is { } field ? new(null, field) : null;
    }

    public static IEnumerable<string> SettableNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true).Select(p => p.Name)
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => !f.IsInitOnly).Select(f => f.Name))
            .Order(StringComparer.Ordinal);
}

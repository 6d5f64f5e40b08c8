using System.Text;

namespace TypedBuild;

/// <summary>
/// Wraps <see cref="Console.Out"/>/<see cref="Console.Error"/> so that whatever a target prints is masked, however it
/// is split into writes: text is passed on as soon as no secret can begin in it, and only a possible secret's
/// beginning waits for the next write (or for <see cref="Complete"/> at the end of the build).
/// </summary>
internal sealed class MaskingTextWriter(TextWriter inner, SecretMasker masker) : TextWriter
{
    private readonly StringBuilder _pending = new();
    private readonly Lock _lock = new();

    public TextWriter Inner { get; } = inner;

    public override Encoding Encoding => Inner.Encoding;

    public override void Write(char value)
    {
        lock (_lock)
        {
            _pending.Append(value);
            WriteSafePart();
        }
    }

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_lock)
        {
            _pending.Append(value);
            WriteSafePart();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <summary>What is safe was passed on already; a possible secret's beginning keeps waiting, so a flush never splits one.</summary>
    public override void Flush()
    {
        lock (_lock)
        {
            Inner.Flush();
        }
    }

    /// <summary>The stream ends: what is still pending is masked as it is and written.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            Inner.Write(masker.Mask(_pending.ToString()));
            _pending.Clear();
            Inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
        }

        base.Dispose(disposing);
    }

    private void WriteSafePart()
    {
        var text = _pending.ToString();
        var safe = masker.SafeLength(text);
        if (safe == 0)
        {
            return;
        }

        Inner.Write(masker.MaskPrefix(text, safe));
        _pending.Remove(0, safe);
    }
}

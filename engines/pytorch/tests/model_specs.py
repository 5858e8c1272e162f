"""Small specs for the tests: a layer list becomes a ModelSpec's model section."""


def model(input_shape, *layers):
    out, prev = [], None
    for i, (kind, config) in enumerate(layers):
        config = dict(config)
        layer_id = config.pop('id', f'{kind}_{i + 1}')
        inputs = config.pop('inputs', [prev] if prev else [])
        out.append({'id': layer_id, 'kind': kind, 'inputs': inputs, 'config': config})
        prev = layer_id
    return {'model': {'input': list(input_shape), 'layers': out}}

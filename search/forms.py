from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=500, strip=True)
    tag = forms.CharField(required=False, max_length=100, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)


class ApiSearchForm(SearchForm):
    limit = forms.IntegerField(required=False, min_value=1, max_value=100)

from django import forms
from django.http import JsonResponse
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView


class CheckedImageForm(ImageForm):
    # markdownx trusts the browser's content type; ImageField makes Pillow
    # open the file, so only real images are stored.
    image = forms.ImageField()


class CheckedImageUploadView(ImageUploadView):
    form_class = CheckedImageForm

    def form_invalid(self, form):
        # markdownx renders a template for non-AJAX posts, but this view has none;
        # every client of this endpoint can read a JSON error.
        return JsonResponse(form.errors, status=400)
